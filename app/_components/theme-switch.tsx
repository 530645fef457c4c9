import { cookies } from "next/headers";
import { THEME_COOKIE, THEMES, parseTheme } from "@/lib/theme";
import { setThemeAction } from "./theme-actions";

const LABELS = { system: "System", light: "Light", dark: "Dark" } as const;

/** Light, dark or the device's choice: three buttons in one form, the current one pressed. */
export async function ThemeSwitch() {
  const current = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <form action={setThemeAction} aria-label="Colour scheme" className="inline-flex items-center gap-1 text-xs">
      <span className="text-slate-600" aria-hidden="true">
        Theme
      </span>
      <span className="inline-flex rounded-lg border border-slate-300 p-0.5">
        {THEMES.map((theme) => (
          <button
            key={theme}
            type="submit"
            name="theme"
            value={theme}
            aria-pressed={current === theme}
            className="rounded-md px-2 py-1 font-medium text-slate-700 hover:bg-slate-100 aria-pressed:bg-slate-900 aria-pressed:text-white"
          >
            {LABELS[theme]}
          </button>
        ))}
      </span>
    </form>
  );
}
