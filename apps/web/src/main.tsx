import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from '@/app';
import './styles/app.css';

const rootElement = document.getElementById('root');
if (!rootElement) {
  throw new Error('index.html has no #root element: restore it so the app has somewhere to render.');
}

createRoot(rootElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
