package nl.klantherkenning.engines.analysis;

import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.AbstractTokenizerFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * The three analysis components of Elasticsearch's analysis-common module that the customer index uses
 * (src/mappings/customer-index.ts): the {@code keyword} tokenizer and the {@code asciifolding} and
 * {@code edge_ngram} token filters, under those names and with their settings. analysis-common is not
 * published to Maven Central, so a node built from published jars lacks them; this only registers
 * Lucene's own KeywordTokenizer, ASCIIFoldingFilter and EdgeNGramTokenFilter, which the server already
 * ships (lucene-analysis-common). Nothing else of analysis-common is here.
 */
public final class AnalysisShimPlugin extends Plugin implements AnalysisPlugin {
    @Override
    public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
        return Map.of("keyword", (indexSettings, env, name, settings) -> {
            int bufferSize = settings.getAsInt("buffer_size", KeywordTokenizer.DEFAULT_BUFFER_SIZE);
            return new AbstractTokenizerFactory(name) {
                @Override
                public Tokenizer create() {
                    return new KeywordTokenizer(bufferSize);
                }
            };
        });
    }

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return List.of(PreConfiguredTokenizer.singleton("keyword", KeywordTokenizer::new));
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "asciifolding",
            (indexSettings, env, name, settings) ->
                new AsciiFolding(name, settings.getAsBoolean("preserve_original", false)),
            "edge_ngram",
            (indexSettings, env, name, settings) ->
                new EdgeNGram(
                    name,
                    settings.getAsInt("min_gram", 1),
                    settings.getAsInt("max_gram", 2),
                    settings.getAsBoolean("preserve_original", false)));
    }

    @Override
    public List<PreConfiguredTokenFilter> getPreConfiguredTokenFilters() {
        return List.of(PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new));
    }

    // Normalizing: folding applies to a term-level query's value as it does to the indexed text.
    private static final class AsciiFolding extends AbstractTokenFilterFactory
            implements NormalizingTokenFilterFactory {
        private final boolean preserveOriginal;

        AsciiFolding(String name, boolean preserveOriginal) {
            super(name);
            this.preserveOriginal = preserveOriginal;
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new ASCIIFoldingFilter(in, preserveOriginal);
        }
    }

    private static final class EdgeNGram extends AbstractTokenFilterFactory {
        private final int minGram;
        private final int maxGram;
        private final boolean preserveOriginal;

        EdgeNGram(String name, int minGram, int maxGram, boolean preserveOriginal) {
            super(name);
            this.minGram = minGram;
            this.maxGram = maxGram;
            this.preserveOriginal = preserveOriginal;
        }

        @Override
        public TokenStream create(TokenStream in) {
            return new EdgeNGramTokenFilter(in, minGram, maxGram, preserveOriginal);
        }
    }
}
