/** The demo studio's people (PRD section 14), all signing in with DEMO_PASSWORD. */
export const DEMO_PASSWORD = "centurion-demo";

export const DEMO_ADMIN = { email: "admin@centurion.test", name: "Studio Admin" };

export const DEMO_COACHES = [
  { email: "gav@centurion.test", name: "Gav Cunningham" },
  { email: "rory@centurion.test", name: "Rory Stephens" },
  { email: "clare@centurion.test", name: "Clare Cuming" },
  { email: "josh@centurion.test", name: "Josh Bunting" },
  { email: "conor@centurion.test", name: "Conor Bates" },
  { email: "jacki@centurion.test", name: "Jacki Montgomery" },
];

export const DEMO_CLIENT_COUNT = 60;

export function demoClients() {
  return Array.from({ length: DEMO_CLIENT_COUNT }, (_, i) => ({
    email: `client${i + 1}@centurion.test`,
    name: `Client ${i + 1}`,
  }));
}
