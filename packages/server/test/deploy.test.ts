/**
 * The deployment files at the repository root (Dockerfile, docker-compose.yml, deploy/) cannot
 * be run here (no docker), so this checks what can be checked: they parse, they agree with the
 * workspace (pnpm and Node versions, the CLI's bin and `serve` options), the compose file
 * wires two routers to PostgreSQL on loopback-only ports with a required token, and the
 * config they mount shares events and thresholds in that database.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

interface ComposeService {
  image?: string;
  build?: string;
  command?: string[];
  ports?: string[];
  volumes?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe("Dockerfile", () => {
  const dockerfile = read("Dockerfile");
  const instructions = dockerfile.split("\n").filter((line) => /^[A-Z]+\s/.test(line));

  it("builds with the workspace's pnpm and Node, and runs the CLI's bin as an unprivileged user", () => {
    const workspace = JSON.parse(read("package.json")) as { packageManager: string; engines: { node: string } };
    expect(dockerfile).toContain(`pnpm@${workspace.packageManager.split("@")[1]}`);
    const images = instructions.filter((line) => line.startsWith("FROM ")).map((line) => line.split(/\s+/)[1]!);
    expect(images.length).toBe(2);
    const minimum = Number(/\d+/.exec(workspace.engines.node)![0]);
    for (const image of images) expect(Number(/^node:(\d+)/.exec(image)?.[1])).toBeGreaterThanOrEqual(minimum);
    expect(instructions).toContain("RUN pnpm install --frozen-lockfile && pnpm build");
    const cli = JSON.parse(read("packages/cli/package.json")) as { bin: Record<string, string> };
    const entry = JSON.parse(/^ENTRYPOINT (.*)$/m.exec(dockerfile)![1]!) as string[];
    expect(entry).toEqual(["node", `/app/packages/cli/${cli.bin["moe-router"]!.replace(/^\.\//, "")}`]);
    expect(instructions.filter((line) => line.startsWith("USER "))).toEqual(["USER node"]);
    const command = JSON.parse(/^CMD (.*)$/m.exec(dockerfile)![1]!) as string[];
    expect(command.slice(0, 1)).toEqual(["serve"]);
  });

  it("keeps build outputs and local state out of the build context", () => {
    const ignored = read(".dockerignore").split("\n");
    for (const entry of ["**/node_modules", "**/dist", ".git", ".moe-router"]) expect(ignored).toContain(entry);
  });
});

describe("docker-compose.yml", () => {
  const compose = parse(read("docker-compose.yml"), { merge: true }) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };

  it("parses and runs two routers on one PostgreSQL, published on loopback only, with a required token", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["postgres", "router-a", "router-b"]);
    expect(compose.services.postgres!.image).toMatch(/^pgvector\/pgvector:pg\d+$/);
    expect(compose.services.postgres!.healthcheck?.test.join(" ")).toContain("pg_isready");
    expect(compose.services.postgres!.ports).toBeUndefined();
    const ports = new Set<string>();
    for (const name of ["router-a", "router-b"]) {
      const service = compose.services[name]!;
      expect(service.build).toBe(".");
      expect(service.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
      expect(service.environment?.MOE_ROUTER_TOKEN).toMatch(/^\$\{MOE_ROUTER_TOKEN:\?.+\}$/);
      expect(service.command).toEqual(["serve", "--host", "0.0.0.0", "--port", "8700", "--config", "/config/moe-router.yaml"]);
      for (const port of service.ports ?? []) {
        expect(port).toMatch(/^127\.0\.0\.1:\d+:8700$/);
        ports.add(port.split(":")[1]!);
      }
      const mounts = service.volumes ?? [];
      expect(mounts).toContain("./deploy/moe-router.yaml:/config/moe-router.yaml:ro");
      expect(mounts.some((mount) => mount.endsWith(":/data"))).toBe(true);
      for (const mount of mounts) {
        const [from] = mount.split(":");
        if (from!.startsWith("./")) expect(existsSync(join(ROOT, from!))).toBe(true);
        else expect(compose.volumes).toHaveProperty(from!);
      }
    }
    expect(ports.size).toBe(2);
  });

  it("mounts a config that keeps events and thresholds in that PostgreSQL and state under /data", () => {
    const config = parse(read("deploy/moe-router.yaml")) as { tracking: { store: string }; thresholdsStore: string; dataDir: string; layers: { package: string }[] };
    expect(config.tracking.store).toMatch(/^postgres:\/\/moe:[^@]+@postgres:5432\/moe$/);
    expect(config.thresholdsStore).toBe(config.tracking.store);
    expect(config.dataDir).toBe("/data");
    for (const layer of config.layers) expect(existsSync(join(ROOT, "packages", layer.package.replace("@moe-router/", "")))).toBe(true);
  });
});
