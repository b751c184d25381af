import { describe, it } from "vitest";
import { lookupLayer } from "../src/index.js";
import { layerConformance } from "../src/testing/index.js";

layerConformance({ describe, it }, () => lookupLayer({ examples: [{ text: "Deploy API to production", expert: "cicd-master" }] }));
