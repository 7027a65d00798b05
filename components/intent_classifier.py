"""A linear intent classifier: logistic regression on the sentence encoder's vector and tf-idf n-grams.

It replaces DIET (issue 17: DIET was ~92 % of a 15-minute training). Each message becomes
[sentence vector ; tf-idf of word 1-2-grams ; tf-idf of char 1-4-grams within words], three blocks of
unit length each, and a multinomial logistic regression (scikit-learn, lbfgs, classes weighted by
their size) gives every intent a probability. The vector is SentenceEncoderFeaturizer's (the dense
sentence feature of TEXT); the n-grams are counted here, on the lower-cased text, so the pipeline
needs no count featurizers.

`C` sets how sharp the probabilities are: FallbackClassifier's threshold, and the safety screen's
use of the ranking, read them (README, "Training time"). The trained model is stored as plain
arrays (vocabularies, idf weights, coefficients), not pickled.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Type

import numpy as np
import scipy.sparse as sp
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression

logger = logging.getLogger(__name__)

ARRAYS = "linear_intent_classifier.npz"
WORD_TOKEN = r"(?u)\b\w+\b"  # keeps one-letter words ("i", "a") and digits ("4 year")


class NgramBlock:
    """Tf-idf of one kind of n-gram: sublinear counts times idf, each row scaled to unit length."""

    def __init__(self, analyzer: str, ngram_range: tuple[int, int], vocabulary: Optional[List[str]] = None,
                 idf: Optional[np.ndarray] = None) -> None:
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.vocabulary = vocabulary
        self.idf = idf
        self._fixed_counter: Optional[CountVectorizer] = None

    def _counter(self) -> CountVectorizer:
        pattern = {"token_pattern": WORD_TOKEN} if self.analyzer == "word" else {}
        return CountVectorizer(analyzer=self.analyzer, ngram_range=self.ngram_range, lowercase=True,
                               vocabulary=self.vocabulary, dtype=np.float64, **pattern)

    def _counter_of_vocabulary(self) -> CountVectorizer:
        # Built once per vocabulary: a CountVectorizer given a vocabulary list turns it into a dict on every
        # transform, which cost more than the rest of a message's classification (issue 17).
        if self._fixed_counter is None or self._fixed_counter.vocabulary is not self.vocabulary:
            self._fixed_counter = self._counter().fit([])
        return self._fixed_counter

    def fit_transform(self, texts: List[str]) -> sp.csr_matrix:
        counter = self._counter()
        counts = counter.fit_transform(texts).tocsr()
        self.vocabulary = counter.get_feature_names_out().tolist()
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf = np.log((1 + counts.shape[0]) / (1 + document_frequency)) + 1.0
        return self._weighted(counts)

    def transform(self, texts: List[str]) -> sp.csr_matrix:
        if self.vocabulary is None:
            raise ValueError("the n-gram block is not trained")
        return self._weighted(self._counter_of_vocabulary().transform(texts).tocsr())

    def _weighted(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        if self.idf is None:
            raise ValueError("the n-gram block is not trained")
        weighted = counts.astype(np.float64, copy=True)
        np.log(weighted.data, out=weighted.data)
        weighted.data += 1.0
        weighted.data *= self.idf[weighted.indices]
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0.0] = 1.0
        weighted.data /= np.repeat(norms, np.diff(weighted.indptr))
        return weighted


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [DenseFeaturizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 10.0, "max_iter": 1000, "word_ngrams": [1, 2], "char_ngrams": [1, 4], "ranking_length": 10}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.words = NgramBlock("word", tuple(self.config["word_ngrams"]))
        self.chars = NgramBlock("char_wb", tuple(self.config["char_ngrams"]))
        self.classes: Optional[np.ndarray] = None
        self.coef: Optional[np.ndarray] = None  # (n_classes, n_features)
        self.intercept: Optional[np.ndarray] = None
        self._coef_t: Optional[np.ndarray] = None
        self._coef_t_of: Optional[np.ndarray] = None

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    def _features(self, messages: List[Message], *, fit: bool = False) -> sp.csr_matrix:
        texts = [message.get(TEXT) or "" for message in messages]
        vectors = np.vstack([_sentence_vector(message) for message in messages])
        words = self.words.fit_transform(texts) if fit else self.words.transform(texts)
        chars = self.chars.fit_transform(texts) if fit else self.chars.transform(texts)
        return sp.hstack([sp.csr_matrix(vectors), words, chars]).tocsr()

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example for example in training_data.intent_examples
                    if example.get(TEXT) and example.get(INTENT)]
        if not examples:
            logger.debug("No intent examples: the linear intent classifier is not trained.")
            return self._resource
        features = self._features(examples, fit=True)
        labels = [example.get(INTENT) for example in examples]
        model = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"], class_weight="balanced",
                                   solver="lbfgs")
        model.fit(features, labels)
        self.classes, self.coef, self.intercept = model.classes_, model.coef_, model.intercept_
        self.persist()
        return self._resource

    def _coef_by_feature(self) -> np.ndarray:
        # Contiguous once: multiplied by a sparse matrix, `coef.T` (a strided view) was copied on every message.
        if self._coef_t is None or self._coef_t_of is not self.coef:
            self._coef_t, self._coef_t_of = np.ascontiguousarray(np.asarray(self.coef).T), self.coef
        return self._coef_t

    def probabilities(self, messages: List[Message]) -> np.ndarray:
        """One row per message: each class's probability (columns in the order of `self.classes`)."""
        if self.coef is None or self.intercept is None:
            raise ValueError("the linear intent classifier is not trained")
        scores = np.asarray(self._features(messages) @ self._coef_by_feature()) + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def process(self, messages: List[Message]) -> List[Message]:
        worded = [message for message in messages if (message.get(TEXT) or "").strip()]
        # As DIET did: a blank message (or an untrained model) gets no intent at confidence 0, so
        # FallbackClassifier turns it into nlu_fallback and the student gets a reply.
        for message in messages:
            if self.classes is None or not (message.get(TEXT) or "").strip():
                message.set(INTENT, {INTENT_NAME_KEY: None, PREDICTED_CONFIDENCE_KEY: 0.0}, add_to_output=True)
                message.set(INTENT_RANKING_KEY, [], add_to_output=True)
        if self.classes is None or not worded:
            return messages
        for message, row in zip(worded, self.probabilities(worded), strict=True):
            order = np.argsort(-row, kind="stable")
            ranking = [{INTENT_NAME_KEY: str(self.classes[i]), PREDICTED_CONFIDENCE_KEY: float(row[i])}
                       for i in order[: self.config["ranking_length"] or len(order)]]
            message.set(INTENT, ranking[0], add_to_output=True)
            message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        return messages

    def persist(self) -> None:
        if self.coef is None or self.intercept is None or self.words.idf is None or self.chars.idf is None:
            raise ValueError("the linear intent classifier is not trained")
        with self._model_storage.write_to(self._resource) as directory:
            np.savez_compressed(
                directory / ARRAYS, classes=np.asarray(self.classes, dtype=str), coef=self.coef,
                intercept=self.intercept, word_vocabulary=np.asarray(self.words.vocabulary, dtype=str),
                word_idf=self.words.idf, char_vocabulary=np.asarray(self.chars.vocabulary, dtype=str),
                char_idf=self.chars.idf)

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "LinearIntentClassifier":
        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                with np.load(directory / ARRAYS, allow_pickle=False) as arrays:
                    component.classes = arrays["classes"]
                    component.coef, component.intercept = arrays["coef"], arrays["intercept"]
                    component.words.vocabulary, component.words.idf = arrays["word_vocabulary"].tolist(), \
                        arrays["word_idf"]
                    component.chars.vocabulary, component.chars.idf = arrays["char_vocabulary"].tolist(), \
                        arrays["char_idf"]
        except (ValueError, FileNotFoundError):
            logger.warning("The linear intent classifier was not trained (no intent examples): it predicts nothing.")
        return component


def _sentence_vector(message: Message) -> np.ndarray:
    """The message's dense sentence feature; zeros (of the encoder's width) when it has none."""
    _, sentence = message.get_dense_features(TEXT)
    if sentence is None:
        from bot.encoder.runtime import load_encoder

        return np.zeros((1, load_encoder().dim), dtype=np.float32)
    return np.asarray(sentence.features, dtype=np.float32).reshape(1, -1)
