// Base styles first: the feature stylesheets imported by the components build on them.
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import * as z from 'zod';
import { App } from './app/app.js';
import { ensureValidLanguage } from './lib/page-language.js';

// The page's CSP forbids eval: zod's compiled parsers would try it once (and log a violation).
z.config({ jitless: true });
// before anything reads it (uPlot does when the performance monitor loads)
ensureValidLanguage();

// the built desk opens during an outage too (public/sw.js); not in `vite dev`, whose modules are not files
// MODE, not PROD: PROD follows NODE_ENV, which a build started from a test runner has as 'test'
if (import.meta.env.MODE === 'production' && 'serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // no service worker (private mode, an engine without them): the desk works, but a reload needs the server
  });
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
