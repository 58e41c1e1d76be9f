import type { ComponentProps } from "react";

type Variant = "primary" | "secondary" | "danger";

interface ButtonProps extends ComponentProps<"button"> {
  variant?: Variant;
}

/** A button at least 44 px tall (a comfortable touch target), in one of three looks. */
export function Button({ variant = "primary", className, type = "button", ...props }: ButtonProps) {
  const classes = ["btn", `btn-${variant}`, className].filter(Boolean).join(" ");
  return <button type={type} className={classes} {...props} />;
}
