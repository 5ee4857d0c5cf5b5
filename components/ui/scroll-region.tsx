"use client";
import { useLayoutEffect, useRef, useState, type ReactNode } from "react";

/**
 * A box that scrolls (`className` gives its size limit and overflow) around its content, whose first element
 * (a table, a block of text) is what may outgrow it. While something overflows, the box is a focusable region
 * named `label`, so a keyboard reaches it and the arrow keys scroll it (WCAG 2.1.1); a box with nothing hidden
 * adds no tab stop.
 */
export function ScrollRegion({ label, className, children }: { label: string; className: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflows, setOverflows] = useState(false);
  useLayoutEffect(() => {
    const el = box.current!;
    const measure = () => setOverflows(el.scrollHeight > el.clientHeight || el.scrollWidth > el.clientWidth);
    // The box's size and its content's (which grows inside a box already at its limit) both change what is hidden.
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => observer.disconnect();
  }, []);
  return (
    <div ref={box} className={className} {...(overflows ? { tabIndex: 0, role: "region", "aria-label": label } : {})}>
      {children}
    </div>
  );
}
