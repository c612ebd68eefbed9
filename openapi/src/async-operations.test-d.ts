import { expectTypeOf, test } from 'vitest';
import type { AsyncKind, AsyncKinds, AsyncOperation, operations } from './index.ts';

type LocationField = 'operationId' | 'path' | 'method';

test('the runtime asyncOperations list and the AsyncKinds map describe the same kinds', () => {
  expectTypeOf<AsyncOperation['kind']>().toEqualTypeOf<AsyncKind>();
});

test('each kind sits at the same operation in the list and in the map', () => {
  // `-readonly` drops what `as const` adds to the runtime list.
  type FromList = { [Entry in AsyncOperation as Entry['kind']]: { -readonly [Field in LocationField]: Entry[Field] } };
  type FromMap = { [Kind in AsyncKind]: Pick<AsyncKinds[Kind], LocationField> };
  expectTypeOf<FromList>().toEqualTypeOf<FromMap>();
});

test('every async operationId is an operation of the generated schema types', () => {
  expectTypeOf<AsyncKinds[AsyncKind]['operationId']>().toExtend<keyof operations>();
});
