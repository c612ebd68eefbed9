import { defineContractSuite } from './scenarios.ts';

defineContractSuite('stateful-mock');
