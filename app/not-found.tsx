import { NotFoundMessage } from "@/components/not-found-message";

/** An unknown address: outside the app's layout, so this page is its own main landmark. */
export default function NotFound() {
  return (
    <main>
      <NotFoundMessage />
    </main>
  );
}
