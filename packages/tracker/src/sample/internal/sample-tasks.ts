import type { Random } from "./prng.js";

/** How obvious a task's expert is from its words. */
export type Clarity = "clear" | "paraphrased" | "ambiguous" | "vague";

/** A generated task and the expert that is really right for it. */
export interface SampleTask {
  readonly description: string;
  readonly truth: string;
  /** For ambiguous tasks: the other plausible expert. */
  readonly rival?: string;
  readonly clarity: Clarity;
  /** The keyword a rule layer would match, for clear tasks. */
  readonly keyword?: string;
}

/** The prototype's experts (the fallback last). */
export const SAMPLE_EXPERTS = ["security-master", "cicd-master", "inventory-master", "development-master", "coordinator-master"] as const;

const FILL: Record<string, readonly string[]> = {
  service: ["billing", "checkout", "search", "auth-gateway", "payments", "notifications", "user-profile", "reporting", "inventory-api", "mobile-backend"],
  component: ["login system", "session store", "API gateway", "password reset flow", "OAuth client", "upload handler", "admin panel", "cache layer", "invoice renderer"],
  env: ["production", "staging", "eu-west", "canary", "us-east"],
  pipeline: ["release", "nightly", "integration", "docker build", "mobile release"],
  vuln: ["SQL injection", "XSS", "CSRF", "path traversal", "privilege escalation", "open redirect"],
  secret: ["API keys", "database password", "TLS certificate", "OAuth client secret", "SSH keys"],
  feature: ["dark mode", "CSV export", "bulk edit", "search filters", "rate limiting", "saved views"],
  symptom: ["the form is submitted twice", "dates are off by one day", "the page times out", "totals are rounded wrongly"],
  asset: ["laptops", "cloud accounts", "TLS certificates", "VM images", "software licences"],
  tool: ["IntelliJ", "Figma", "Datadog", "Jira", "Slack"],
};

// [template, keyword a rule layer would match]; paraphrased templates carry no keyword.
const CLEAR: Record<string, ReadonlyArray<readonly [string, string]>> = {
  "security-master": [
    ["Fix {vuln} vulnerability in the {component}", "vulnerability"],
    ["Fix authentication bug in {component}", "authentication"],
    ["Rotate the leaked {secret} for {service}", "leaked"],
    ["Run a security audit of the {service} service", "security"],
    ["Enable MFA for the {service} admin accounts", "mfa"],
    ["Patch CVE-2026-{num} in the {component}", "cve"],
  ],
  "cicd-master": [
    ["Deploy {service} to {env}", "deploy"],
    ["Fix the failing {pipeline} pipeline", "pipeline"],
    ["Roll back the {service} release on {env}", "release"],
    ["Speed up the CI build for {service}", "ci"],
    ["Add a deployment step for {service} to the {pipeline} pipeline", "deployment"],
  ],
  "inventory-master": [
    ["Catalog all dependencies of {service}", "catalog"],
    ["Update the inventory of {asset}", "inventory"],
    ["List the documents in the {service} catalog", "catalog"],
    ["Find outdated dependencies in {service}", "dependencies"],
  ],
  "development-master": [
    ["Implement {feature} in {service}", "implement"],
    ["Refactor the {component} module", "refactor"],
    ["Fix bug in the {component} where {symptom}", "bug"],
    ["Write unit tests for the {component}", "tests"],
    ["Add an API endpoint for {feature}", "endpoint"],
  ],
};

const PARAPHRASED: Record<string, readonly string[]> = {
  "security-master": ["Someone may be able to read other users' data in {service}", "Make sure only admins can open the {service} settings page", "We got an email about strange logins to {service}"],
  "cicd-master": ["Get the new version of {service} out to customers on {env}", "The nightly job for {service} keeps timing out", "Make {service} go live automatically after merge"],
  "inventory-master": ["Which teams own the servers in {env}?", "How many licences of {tool} do we have left?", "Who still uses the old {asset}?"],
  "development-master": ["Users see a blank page when {symptom}", "Make the {component} faster", "Customers want {feature} in {service}"],
};

const AMBIGUOUS: ReadonlyArray<readonly [string, string, string]> = [
  ["Deploy the security patch for the {component} to {env}", "security-master", "cicd-master"],
  ["Fix the authentication bug blocking the {pipeline} pipeline", "cicd-master", "security-master"],
  ["Update the dependency catalog after the {vuln} fix", "inventory-master", "security-master"],
  ["Refactor the deployment scripts of {service}", "development-master", "cicd-master"],
  ["Add tests for the {service} inventory sync", "development-master", "inventory-master"],
];

const VAGUE: readonly string[] = [
  "Help me with this",
  "Can someone look at the thing from yesterday?",
  "Plan next quarter's work for the {service} team",
  "Organise a meeting about {service}",
  "Not sure who should handle this one",
];

// Share of tasks per true expert; the rest are ambiguous or vague.
const MIX: ReadonlyArray<readonly [string, number]> = [
  ["security-master", 0.22],
  ["cicd-master", 0.24],
  ["inventory-master", 0.14],
  ["development-master", 0.3],
];

function fill(template: string, random: Random): string {
  return template.replace(/\{(\w+)\}/g, (_, slot: string) => (slot === "num" ? String(1000 + random.int(9000)) : random.pick(FILL[slot] ?? [slot])));
}

/** A clear or paraphrased task for `truth`. */
function domainTask(truth: string, random: Random): SampleTask {
  if (random.chance(0.55)) {
    const [template, keyword] = random.pick(CLEAR[truth]!);
    return { description: fill(template, random), truth, clarity: "clear", keyword };
  }
  return { description: fill(random.pick(PARAPHRASED[truth]!), random), truth, clarity: "paraphrased" };
}

/** A shifted task mix (an injected degradation): extra vague tasks, or extra tasks for one expert. */
export interface TaskMixShift {
  readonly vague?: number;
  readonly mix?: { readonly expert: string; readonly value: number };
}

/**
 * Draws one task: mostly clear or paraphrased domain tasks, some ambiguous, a few vague. A
 * `shift` first makes a share of tasks vague, or for one expert (the rest are drawn as usual).
 */
export function sampleTask(random: Random, shift?: TaskMixShift): SampleTask {
  if (shift?.vague !== undefined && random.chance(shift.vague)) return { description: fill(random.pick(VAGUE), random), truth: "coordinator-master", clarity: "vague" };
  if (shift?.mix && CLEAR[shift.mix.expert] && random.chance(shift.mix.value)) return domainTask(shift.mix.expert, random);
  const roll = random.next();
  if (roll < 0.06) {
    const [template, truth, rival] = random.pick(AMBIGUOUS);
    return random.chance(0.5) ? { description: fill(template, random), truth, rival, clarity: "ambiguous" } : { description: fill(template, random), truth: rival, rival: truth, clarity: "ambiguous" };
  }
  if (roll < 0.1) return { description: fill(random.pick(VAGUE), random), truth: "coordinator-master", clarity: "vague" };
  let share = (roll - 0.1) / 0.9;
  let truth = MIX[MIX.length - 1]![0];
  for (const [expert, weight] of MIX) {
    if (share < weight) {
      truth = expert;
      break;
    }
    share -= weight;
  }
  return domainTask(truth, random);
}
