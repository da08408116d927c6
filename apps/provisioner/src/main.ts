import { bootstrapService } from '@bosun/service-kit';

// The provisioner boots, joins its command consumer and answers ping; its capabilities land
// as feature modules (until then its commands fail with NotImplemented, never hang).
void bootstrapService('provisioner', []);
