// The app's one button: a primary action (filled, the one thing the screen is for) or a secondary
// one (outlined). Both are at least 48 px high, above the 44 px a finger needs (WCAG 2.2 SC 2.5.8
// asks for 24). No screen draws a bare <button>: a native one is about 20 px high on a phone.
import type { ButtonHTMLAttributes, Ref } from 'react';

export type ButtonVariant = 'primary' | 'secondary';

export function Button({
  variant = 'secondary',
  type = 'button',
  className,
  ref,
  ...rest
}: Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'type'> & {
  variant?: ButtonVariant;
  type?: 'button' | 'submit';
  ref?: Ref<HTMLButtonElement>;
}) {
  return <button {...rest} ref={ref} type={type} className={className ? `${variant} ${className}` : variant} />;
}
