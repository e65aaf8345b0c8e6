import { render } from 'preact';
import { App } from './app.js';
import { applyTextSize, readTextSize } from './components/text-size.js';
import { initI18n } from './i18n/index.js';
import './styles.css';

// Before anything is drawn, so a chosen large text size never jumps in after the first paint.
applyTextSize(readTextSize());
void initI18n().then(() => render(<App />, document.getElementById('app')!));
