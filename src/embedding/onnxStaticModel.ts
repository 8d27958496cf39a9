import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * ONNX bytes of a static embedding model: `last_hidden_state = Gather(table, input_ids)`.
 * transformers.js feeds `input_ids` and `attention_mask` (declared, unused: pooling happens after the model),
 * so the file looks like any BERT-style encoder to the feature-extraction pipeline.
 * Deterministic: no timestamps, fixed field order, little-endian floats.
 */
export function staticEmbeddingOnnx(table: Float32Array, vocabSize: number, dimensions: number): Uint8Array {
  if (table.length !== vocabSize * dimensions) throw new Error('embedding table size does not match vocab × dimensions');
  const raw = new Uint8Array(table.length * 4);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < table.length; i++) view.setFloat32(i * 4, table[i], true);

  const tokenInput = (name: string) => ({
    name,
    type: {
      tensorType: {
        elemType: onnx.TensorProto.DataType.INT64,
        shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }] },
      },
    },
  });

  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'lodestone',
    producerVersion: '1',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'lodestone_static_embedding',
      node: [
        {
          name: 'token_vectors',
          opType: 'Gather',
          input: ['embeddings', 'input_ids'],
          output: ['last_hidden_state'],
          attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
        },
      ],
      initializer: [
        { name: 'embeddings', dataType: onnx.TensorProto.DataType.FLOAT, dims: [vocabSize, dimensions], rawData: raw },
      ],
      input: [tokenInput('input_ids'), tokenInput('attention_mask')],
      output: [
        {
          name: 'last_hidden_state',
          type: {
            tensorType: {
              elemType: onnx.TensorProto.DataType.FLOAT,
              shape: { dim: [{ dimParam: 'batch_size' }, { dimParam: 'sequence_length' }, { dimValue: dimensions }] },
            },
          },
        },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
