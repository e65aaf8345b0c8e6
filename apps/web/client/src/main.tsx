import { render } from 'preact';
import { App } from './app.js';
import { initI18n } from './i18n/index.js';
import './styles.css';

void initI18n().then(() => render(<App />, document.getElementById('app')!));
