import Link from "next/link";
import type { ReactNode } from "react";
import { SignOutButton } from "@/components/sign-out-button";
import { ThemeToggle } from "@/components/theme-toggle";
import { requireUser } from "@/lib/auth/current-user";
import { isAdminUser } from "@/lib/services/admin-audit";

export default async function AppLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const admin = await isAdminUser({ userId: user.id, claims: user.claims });
  return (
    <div className="min-h-screen">
      <header className="border-b bg-card">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <Link href="/dashboard" className="text-lg font-bold tracking-tight">
            Bullpen
          </Link>
          <nav aria-label="Main" className="flex gap-4 text-sm">
            <Link href="/dashboard" className="hover:underline">
              Dashboard
            </Link>
            <Link href="/leaderboard" className="hover:underline">
              Leaderboard
            </Link>
            {admin && (
              <Link href="/admin/audit" className="hover:underline">
                Audit
              </Link>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-2">
            <span className="hidden text-sm text-muted-foreground sm:inline" data-testid="user-email">
              {user.email}
            </span>
            <ThemeToggle />
            <SignOutButton />
          </div>
        </div>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-6">{children}</main>
    </div>
  );
}
