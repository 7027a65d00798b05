"""A Rasa featurizer that gives DIET the sentence encoder's vector of each message's text.

The vector (all-MiniLM-L6-v2, 384 dimensions, unit length) becomes the dense SENTENCE feature of
the TEXT attribute. DIET's transformer puts sentence features at the __CLS__ position after the
tokens, so a dense sentence feature needs a dense sequence feature with one row per token; the
encoder has no per-token vectors, so those rows are zeros (they add nothing to a token's count
features). Messages with no text or no tokens get no features, as CountVectorsFeaturizer does; a
text with no letter or digit gets a zero vector.
Only TEXT is featurized: intents, responses and action texts keep their sparse features.

The encoder is loaded on the first message, not at import or when the graph is built, and
`load_encoder` caches it, so one process loads it once however many nodes or models use it.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.encoder.runtime import load_encoder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SentenceEncoderFeaturizer":
        return cls(execution_context.node_name, config)

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        pass

    def process(self, messages: List[Message]) -> List[Message]:
        featurizable = [message for message in messages if _has_text_and_tokens(message)]
        if not featurizable:
            return messages
        # One call for all of them: the encoder batches texts of similar length together.
        worded = [message for message in featurizable if _has_a_word(message.get(TEXT))]
        encoded = load_encoder().encode([message.get(TEXT) for message in worded])
        vectors = dict(zip(map(id, worded), encoded, strict=True))
        for message in featurizable:
            # A text with no letter or digit (a NUL byte, control characters) gets a zero vector: the
            # encoder's vector of it read to DIET as a confident "yes", which answered a waiting quiz item.
            vector = vectors.get(id(message), np.zeros(load_encoder().dim, dtype=np.float32))
            n_tokens = len(message.get(TOKENS_NAMES[TEXT]))
            sequence = np.zeros((n_tokens, vector.shape[0]), dtype=np.float32)
            self.add_features_to_message(sequence, vector[np.newaxis, :], TEXT, message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data


def _has_text_and_tokens(message: Message) -> bool:
    text = message.get(TEXT)
    return bool(text and text.strip() and message.get(TOKENS_NAMES[TEXT]))


def _has_a_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)
