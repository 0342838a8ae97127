export function Logo({ className = "size-6" }: { className?: string }) {
  return (
    <svg viewBox="0 0 24 24" className={className} aria-hidden>
      <rect width="24" height="24" rx="6" className="fill-accent" />
      <path d="M7 17V7h10M7 12h7" stroke="white" strokeWidth="2.2" fill="none" strokeLinecap="round" />
    </svg>
  );
}
