import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// Transport (--stdio, --node-ipc, --socket) is chosen from the command line by createConnection.
const connection = createConnection(ProposedFeatures.all);
// A promise nobody awaited that fails (a client answering a request with an error) is logged;
// by default Node would end the server, and every diagnostic with it.
process.on('unhandledRejection', e => connection.console.error(`kube-netlint: ${(e as Error)?.stack ?? String(e)}`));
startServer(connection);
