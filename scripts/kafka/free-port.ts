// Ports on 127.0.0.1: a free one chosen by the system, or a check that a given one is free.
import { createServer } from 'node:net';
import { SetupError } from './setup-error.ts';

export function freePort(): Promise<number> {
  return listenOnce(0);
}

export async function ensurePortFree(port: number): Promise<void> {
  try {
    await listenOnce(port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw portTaken(port);
    throw error;
  }
}

export function portTaken(port: number): SetupError {
  return new SetupError(
    `kafka: port ${port} on 127.0.0.1 is taken (another broker? 'npm run kafka -- status' lists ours; ` +
      `'ss -ltnp' shows which process listens). Stop that process, choose another port with --port, ` +
      `or leave --port out to let the system choose a free one.`,
  );
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const { port: bound } = server.address() as { port: number };
      server.close(() => resolve(bound));
    });
  });
}
