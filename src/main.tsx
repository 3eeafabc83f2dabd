import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@aws-amplify/ui-react/styles.css';
import './app/app.css';
import { App } from './app/App';
import { StartupError } from './app/StartupError';
import { configureAmplify, loadOutputs } from './lib/amplify-config';

const container = document.getElementById('root');
if (container === null) throw new Error('index.html has no #root element');
const root = createRoot(container);

/** Configures Amplify from the outputs served next to the app, then shows the app. */
const start = async (): Promise<void> => {
  try {
    const environment = configureAmplify(await loadOutputs());
    root.render(
      <StrictMode>
        <App environment={environment} />
      </StrictMode>,
    );
  } catch (err) {
    root.render(<StartupError error={err} />);
  }
};

void start();
