"""The English pipeline and its fast components: loading spaCy lean, the attribute ruler and lemmatizer
that answer each distinct token once, the thinc ops, sentence segmentation and text normalisation, the parse
cache, entities on demand and flat memory. Knows nothing about rules, readers or formats."""
