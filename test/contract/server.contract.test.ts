import { defineContractSuite } from './scenarios.ts';

defineContractSuite('server');
