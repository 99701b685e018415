import { Socket } from 'node:net';
import { abortable } from '../deadline';

export interface TcpConnection {
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  readonly localAddress: string | null;
  /** Time from SYN to established: one network round trip. */
  readonly rttMs: number;
  readonly socket: Socket;
}

/** Opens a TCP connection; rejects with the errno code (ECONNREFUSED, EHOSTUNREACH …) or on abort. */
export function connectTcp(address: string, port: number, signal: AbortSignal): Promise<TcpConnection> {
  return abortable(signal, (onAbort) =>
    new Promise<TcpConnection>((resolve, reject) => {
      const socket = new Socket();
      onAbort(() => socket.destroy());
      const start = performance.now();
      socket.once('error', (err) => {
        socket.destroy();
        reject(err);
      });
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve({
          address,
          family: socket.remoteFamily === 'IPv6' ? 6 : 4,
          port,
          localAddress: socket.localAddress ?? null,
          rttMs: Math.round((performance.now() - start) * 10) / 10,
          socket,
        });
      });
      socket.connect({ host: address, port });
    }),
  );
}
