import { NotFoundMessage } from "@/components/not-found-message";

/** notFound() in a signed-in page (an id that is not the user's): inside the app's layout and its main landmark. */
export default function NotFound() {
  return <NotFoundMessage />;
}
