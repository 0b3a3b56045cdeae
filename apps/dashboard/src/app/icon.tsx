/** The dashboard's icons, drawn as SVG so they render the same with or without an emoji font. */
export type IconName =
  | 'check'
  | 'cross'
  | 'snowflake'
  | 'clock'
  | 'warning'
  | 'people'
  | 'gift'
  | 'coin'
  | 'document'
  | 'repeat'
  | 'note'
  | 'shield';

const PATHS: Record<IconName, string> = {
  check: 'M4 12.5l5 5L20 6.5',
  cross: 'M6 6l12 12M18 6L6 18',
  snowflake: 'M12 2v20M3.3 7l17.4 10M3.3 17L20.7 7M9 4l3 2 3-2M9 20l3-2 3 2',
  clock: 'M12 7v5l3 2M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18',
  warning: 'M12 3L2 20h20L12 3zM12 10v4M12 17v.5',
  people:
    'M9 11a3.5 3.5 0 1 0 0-7a3.5 3.5 0 0 0 0 7M2.5 20a6.5 6.5 0 0 1 13 0M16 4.5a3.5 3.5 0 0 1 0 6.5M18 14a6 6 0 0 1 3.5 6',
  gift: 'M3 9h18v4H3zM5 13v8h14v-8M12 9v12M12 9c-2-4-6-4-6-1.5S9 9 12 9c3 0 6 .5 6-1.5S14 5 12 9',
  coin: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18M15 9.5c-.5-1-1.6-1.5-3-1.5c-1.7 0-3 .8-3 2s1.3 1.7 3 2s3 .8 3 2s-1.3 2-3 2c-1.4 0-2.5-.5-3-1.5M12 6.5v11',
  document: 'M6 3h8l4 4v14H6zM14 3v4h4M9 12h6M9 16h6',
  repeat: 'M17 2l4 4l-4 4M3 11v-1a4 4 0 0 1 4-4h14M7 22l-4-4l4-4M21 13v1a4 4 0 0 1-4 4H3',
  note: 'M5 3h14v18H5zM9 8h6M9 12h6M9 16h3',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9c-4.5-1-8-4-8-9V6zM9 12l2 2l4-4',
};

/** A stroke icon in the current text colour; decorative (hidden from assistive technology). */
export function Icon(props: { name: IconName; size?: number; className?: string }) {
  const size = props.size ?? 16;
  return (
    <svg
      className={props.className ? `icon ${props.className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2.2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[props.name]} />
    </svg>
  );
}
