"use client";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { toast } from "sonner";
import { useSupabase } from "@/components/providers";
import { Button } from "@/components/ui/button";

export function SignOutButton() {
  const getSupabase = useSupabase();
  const router = useRouter();
  const [pending, setPending] = useState(false);
  return (
    <Button
      variant="outline"
      size="sm"
      disabled={pending}
      onClick={async () => {
        setPending(true);
        const { error } = await getSupabase().auth.signOut();
        if (error) {
          setPending(false);
          toast.error(`Could not sign out: ${error.message}`);
          return;
        }
        router.replace("/sign-in");
        router.refresh();
      }}
    >
      Sign out
    </Button>
  );
}
