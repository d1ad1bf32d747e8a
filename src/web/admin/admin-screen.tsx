import { TimingsScreen } from "./timings-screen.tsx";

/** The admin's page in the application: the promise measured. */
export function AdminScreen() {
  return <TimingsScreen />;
}
