import type { ExpertExemplars } from "./types.js";

/**
 * Exemplar task descriptions for the Python prototype's four experts, so a cascade can run
 * keyword -> semantic -> fallback with no configuration. Written for a software platform;
 * replace or extend them with your own tasks (or `learn()` from corrected outcomes).
 * `coordinator-master` has none on purpose: it is the fallback, not a specialism.
 *
 * @example
 * semanticLayer({ embedder: hashedEmbedder(), experts: DEFAULT_EXPERT_EXEMPLARS });
 */
export const DEFAULT_EXPERT_EXEMPLARS: Readonly<Record<string, ExpertExemplars>> = deepFreeze({
  "security-master": {
    description: "Security: authentication, authorisation, secrets, vulnerabilities, audits and compliance.",
    exemplars: [
      "Fix the authentication bug that lets users log in without a password",
      "Users are logged out randomly, investigate the session token validation",
      "Rotate the leaked AWS access keys and revoke the old ones",
      "Audit the payment service for security vulnerabilities",
      "Patch the SQL injection in the search endpoint",
      "Sanitise user input to prevent cross-site scripting in comments",
      "Upgrade openssl to fix the critical CVE reported by the scanner",
      "Enable multi-factor authentication for admin accounts",
      "Review IAM roles and remove overly broad permissions",
      "Set up OAuth2 login with Google for the customer portal",
      "Move database passwords out of the repo into the secrets manager",
      "Renew the expired TLS certificate on the API gateway",
      "Add rate limiting to the login endpoint to stop brute-force attacks",
      "Encrypt personal data at rest to meet GDPR requirements",
      "Investigate suspicious login attempts from unknown IP addresses",
      "Run a penetration test on the mobile backend",
      "Fix the CSRF vulnerability in the account settings form",
      "Implement role-based access control for the admin dashboard",
      "Respond to the security incident: an API token was exposed in the logs",
      "Configure the web application firewall rules for the public API",
      "Hash stored passwords with bcrypt instead of MD5",
      "Attackers bypass authentication with a forged session cookie, close the hole",
    ],
  },
  "cicd-master": {
    description: "CI/CD: builds, pipelines, releases, deployments, rollbacks and environments.",
    exemplars: [
      "Deploy the new API version to production",
      "Roll back the failed release of the checkout service",
      "The CI pipeline is failing on the main branch, fix the build",
      "Set up a GitHub Actions workflow to run tests on every pull request",
      "Speed up the build by caching node_modules between pipeline runs",
      "Create a staging environment that mirrors production",
      "Configure a canary release for the recommendation service",
      "Automate blue-green deployments on Kubernetes",
      "Publish the Docker image to the container registry after each merge",
      "Fix the flaky integration tests that break the nightly build",
      "Add a manual approval step before production deploys",
      "Bump the release version and tag it in git",
      "Migrate the Jenkins jobs to GitLab CI",
      "Write a Helm chart to deploy the worker service",
      "The deployment to the EU cluster is stuck, pods keep restarting",
      "Run database migrations automatically as part of the release pipeline",
      "Set up continuous delivery of the frontend to the CDN",
      "Add a smoke test stage after deployment and alert on failure",
      "Build and ship the hotfix to production tonight",
      "Parallelise the test jobs so the pipeline finishes in under ten minutes",
      "Promote the release candidate from staging to production",
      "Revert yesterday's deployment of the payments API, it returns errors",
      "Roll back the database migration that broke the staging environment",
    ],
  },
  "inventory-master": {
    description: "Inventory: catalogues of services, dependencies, assets, licences and ownership.",
    exemplars: [
      "Catalog every third-party dependency used by the web app",
      "List all microservices with their owners and repositories",
      "Generate a software bill of materials for the release",
      "Find which services still use the deprecated logging library",
      "Inventory all cloud resources in the production account",
      "Make a list of open-source licenses in our dependencies",
      "Which versions of React are used across our repositories?",
      "Track all servers and their operating system versions",
      "Find unused npm packages that can be removed",
      "Build an asset register of laptops and software licenses",
      "Map which teams own which databases",
      "Report outdated libraries across all projects",
      "Count how many API endpoints each service exposes",
      "List every S3 bucket and who created it",
      "Record the hardware inventory of the data centre racks",
      "Tag all cloud resources with cost center and owner",
      "Find all repositories that have no maintainer assigned",
      "Compile the list of external APIs our platform depends on",
      "Which services run on Python 3.8 and need upgrading?",
      "Keep the service catalog up to date with new deployments' metadata",
      "Audit the number of paid SaaS seats we have per tool",
    ],
  },
  "development-master": {
    description: "Development: features, bug fixes, refactoring, tests, APIs, UI and performance of the code.",
    exemplars: [
      "Implement the user profile page with an avatar upload",
      "Fix the off-by-one error in the pagination of search results",
      "Refactor the order service into smaller modules",
      "Write unit tests for the invoice calculation",
      "Add a REST endpoint to export reports as CSV",
      "The dashboard chart shows wrong totals, fix the aggregation",
      "Optimise the slow database query on the orders page",
      "Add dark mode to the settings screen",
      "Build a GraphQL resolver for product reviews",
      "Migrate the frontend from JavaScript to TypeScript",
      "Fix the memory leak in the image processing worker",
      "Add support for multiple currencies in the cart",
      "Create a database schema for the new subscription feature",
      "Write documentation for the public SDK",
      "Implement infinite scroll on the product list",
      "Review the pull request that adds email notifications",
      "The app crashes when the user uploads an empty file, fix it",
      "Add input validation to the signup form",
      "Improve the response time of the recommendations API",
      "Implement a retry with backoff for calls to the payment provider",
      "Build the new onboarding wizard in React",
      "Fix the authentication bug that shows a blank page after login",
      "Fix the bug in the login system where the redirect after sign-in loops forever",
      "Debug the login form: it rejects valid email addresses",
      "The login system throws an error for names with an apostrophe, fix the bug",
    ],
  },
});

/** Freezes the lists too, so one caller's edit cannot leak into every default layer. */
function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (inner && typeof inner === "object") deepFreeze(inner as object);
  return Object.freeze(value);
}
