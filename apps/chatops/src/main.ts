import { configOrExit } from '@bosun/service-kit';
import { createLogger } from '@bosun/logging';
import { createChatops } from './app.factory';

async function main(): Promise<void> {
  const config = configOrExit('chatops');
  const logger = createLogger('chatops', config.logLevel);
  const app = await createChatops(config, logger);
  await app.listen(config.chatopsPort, '0.0.0.0');
  logger.info({ port: config.chatopsPort, gateway: config.gatewayUrl }, 'chatops listening');
}

main().catch((e: Error) => {
  process.stderr.write(`[chatops] ${e.message}\n`);
  process.exit(78);
});
