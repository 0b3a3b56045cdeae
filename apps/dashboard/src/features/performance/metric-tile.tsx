import type { ReactNode } from 'react';
import type { LevelBadge } from './quality-colour.js';

/** One key figure: a named group with its value and, when it has one, its band in words and icon. */
export function MetricTile(props: { name: string; value: string; badge?: LevelBadge; hint?: ReactNode }) {
  const tone = props.badge?.level ?? 'neutral';
  return (
    // biome-ignore lint/a11y/useSemanticElements: a named group of figures, not form controls (no fieldset)
    <div className={`tile tone-border-${tone}`} role="group" aria-label={props.name}>
      <div className="tile-name">{props.name}</div>
      <div className={`tile-value tone-text-${tone}`}>{props.value}</div>
      {props.badge && (
        <div className={`badge tone-${props.badge.level}`}>
          <span aria-hidden="true">{props.badge.icon} </span>
          {props.badge.label}
        </div>
      )}
      {props.hint && <div className="tile-hint muted">{props.hint}</div>}
    </div>
  );
}

/** A labelled progress bar for a 0-100 score, coloured by band, with the figure in text. */
export function ScoreBar(props: { label: string; score: number; badge: LevelBadge; note?: string }) {
  return (
    <div className="score-row">
      <div className="score-label">
        <span>{props.label}</span>
        <span className={`tone-text-${props.badge.level}`}>
          <span aria-hidden="true">{props.badge.icon} </span>
          {Math.round(props.score)} %
        </span>
      </div>
      <div
        className={`bar tone-${props.badge.level}`}
        role="progressbar"
        aria-label={props.label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(props.score)}
        aria-valuetext={`${Math.round(props.score)} %, ${props.badge.label}`}
      >
        <div className="bar-fill" style={{ width: `${Math.max(0, Math.min(100, props.score))}%` }} />
      </div>
      {props.note && <div className="muted small">{props.note}</div>}
    </div>
  );
}
