import { defineContractSuite } from './scenarios.ts';

defineContractSuite('prism-mock');
