import { bootstrapService } from '@bosun/service-kit';
import { StorageModule } from './storage.module';

// Joins the storage service's command consumer, answers its queries and runs the
// bosun.dev/local-path provisioner (when this replica holds its lease).
void bootstrapService('storage', [StorageModule.forRoot()]);
