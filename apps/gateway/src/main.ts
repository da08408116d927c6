import { configOrExit } from '@bosun/service-kit';
import { createLogger } from '@bosun/logging';
import { createGateway } from './app.factory';
import { gatewayOptionsFrom } from './gateway.options';

async function main(): Promise<void> {
  const config = configOrExit('gateway');
  const logger = createLogger('gateway', config.logLevel);
  const app = await createGateway(config, logger, gatewayOptionsFrom(config));
  await app.listen(config.gatewayPort, '0.0.0.0');
  logger.info({ url: config.gatewayUrl }, 'gateway listening');
}

void main();
