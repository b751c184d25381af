/** Sample tasks for `moe-router demo`, each with the expert that should handle it. */
export const DEMO_TASKS: ReadonlyArray<{ readonly description: string; readonly expert: string }> = [
  { description: "Deploy API to production", expert: "cicd-master" },
  { description: "Fix authentication bug in login system", expert: "development-master" },
  { description: "Run a security audit of the payment service", expert: "security-master" },
  { description: "Scan the container images for CVE-2024-3094", expert: "security-master" },
  { description: "Catalog every service and its owner in the inventory", expert: "inventory-master" },
  { description: "Document the dependency tree of the web app", expert: "inventory-master" },
  { description: "The nightly pipeline is failing on the integration tests", expert: "cicd-master" },
  { description: "Implement dark mode for the settings page", expert: "development-master" },
  { description: "Refactor the billing module into smaller services", expert: "development-master" },
  { description: "Rotate the leaked database credentials", expert: "security-master" },
  { description: "Roll back yesterday's release on the staging cluster", expert: "cicd-master" },
  { description: "Which repositories still use the deprecated logging library?", expert: "inventory-master" },
  { description: "Add rate limiting to the public REST endpoints", expert: "development-master" },
  { description: "Set up branch protection and required reviews for main", expert: "security-master" },
  { description: "Plan the team offsite agenda", expert: "coordinator-master" },
  { description: "Check whether the TLS certificates expire this month", expert: "security-master" },
];
