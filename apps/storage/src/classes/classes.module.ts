import { Module } from '@nestjs/common';
import { ClassHandlers } from './class.handlers';
import { ClassOperations } from './class.operations';
import { LocalPathClass } from './local-path.class';

/** StorageClasses: the list, the default-class switch, and the `local-path` class ensured at boot. */
@Module({ controllers: [ClassHandlers], providers: [ClassOperations, LocalPathClass] })
export class ClassesModule {}
