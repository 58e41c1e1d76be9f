"use client";

import { type ReactNode, useEffect, useRef } from "react";

/**
 * The heading of a state that replaced another (signed in, approved, ended…):
 * when it appears and focus was lost with the old state (it sits on <body>),
 * focus moves here, so a keyboard or screen-reader user hears the new state.
 */
export function FocusHeading({
  level = 1,
  id,
  className,
  children,
}: {
  level?: 1 | 2;
  id?: string;
  className?: string;
  children: ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (!active || active === document.body) ref.current?.focus();
  }, []);
  const Tag = level === 1 ? "h1" : "h2";
  return (
    <Tag ref={ref} id={id} className={className} tabIndex={-1}>
      {children}
    </Tag>
  );
}
