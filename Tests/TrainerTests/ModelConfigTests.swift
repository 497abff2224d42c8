import Foundation
import Testing
@testable import Trainer

@Suite struct ModelConfigTests {
    @Test func validationNamesTheField() {
        func message(_ c: ModelConfig) -> String? {
            do { try c.validate(); return nil } catch { return "\(error)" }
        }
        #expect(message(ModelConfig(nLayer: 2, dModel: 64, nHead: 4, seqLen: 32, vocabSize: 256)) == nil)
        #expect(message(ModelConfig(nLayer: 2, dModel: 60, nHead: 8, seqLen: 32, vocabSize: 256))?
            .contains("d_model (60) not divisible by n_head (8)") == true)
        #expect(message(ModelConfig(nLayer: 0, dModel: 64, nHead: 4, seqLen: 32, vocabSize: 256))?
            .contains("n_layer") == true)
        #expect(message(ModelConfig(nLayer: 2, dModel: 64, nHead: 4, seqLen: -1, vocabSize: 256))?
            .contains("seq_len") == true)
        #expect(message(ModelConfig(nLayer: 2, dModel: 64, nHead: 4, seqLen: 8, vocabSize: 0))?
            .contains("vocab_size") == true)
    }

    /// GPT-2 small (tied embeddings, biases) has 124,439,808 parameters, the figure published by
    /// llm.c and nanoGPT; 85,056,000 once the 50257x768 token and 1024x768 position embeddings are removed.
    @Test func gpt2SmallParameterCount() {
        let gpt2 = ModelConfig(nLayer: 12, dModel: 768, nHead: 12, seqLen: 1024, vocabSize: 50257)
        #expect(gpt2.paramsTotal == 124_439_808)
        #expect(gpt2.paramsNonEmbedding == 124_439_808 - 50257 * 768 - 1024 * 768)
    }

    @Test func layoutCoversEveryParameterOnce() {
        let c = ModelConfig(nLayer: 3, dModel: 8, nHead: 2, seqLen: 5, vocabSize: 11)
        let layout = ParameterLayout(config: c)
        #expect(layout.total == c.paramsTotal)
        var cursor = 0
        for t in layout.tensors {
            #expect(t.offset == cursor, "\(t.name) is not contiguous")
            cursor += t.count
        }
        #expect(cursor == layout.total)
        #expect(layout.tensor(named: "h2.mlp.proj.w")?.count == 4 * 8 * 8)
        #expect(layout.tensors.filter(\.isLinearWeight).count == 4 * 3)
    }

    /// 6 N + 12 L d T with N counted by hand for L=2, d=4: per block 2*4 + (48+12) + (16+4) + 2*4 +
    /// (64+16) + (64+4) = 244, plus the final LayerNorm's 8.
    @Test func flopsPerTokenFormula() {
        let c = ModelConfig(nLayer: 2, dModel: 4, nHead: 1, seqLen: 10, vocabSize: 7)
        #expect(c.paramsNonEmbedding == 2 * 244 + 8)
        #expect(c.flopsPerToken == 6 * 496 + 12 * 2 * 4 * 10)
    }

    @Test func jsonUsesSnakeCase() throws {
        let c = ModelConfig(nLayer: 2, dModel: 64, nHead: 4, seqLen: 32, vocabSize: 256)
        let json = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        #expect(json.contains("\"d_model\":64"))
        #expect(try JSONDecoder().decode(ModelConfig.self, from: Data(json.utf8)) == c)
    }
}
