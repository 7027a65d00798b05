"""A Rasa NLU component that runs the safety screen on every message, before the dialogue policy.

It sits after the intent classifiers. When the screen finds a concern, the message's intent
becomes `concern_<category>` (so rules reply at once), or `safety_check_in` when the sign of a crisis is too
weak to act on (the bot asks first), and the screen's finding is added to the parse data under "safety". When the classifier alone guessed a concern the screen does not back
(an idiom, career talk, a negated statement), the guess is replaced by the next intent.

It also names the message's language in a `language` entity (the slot of that name picks the
Spanish variations in domain.yml), and a Spanish message with no concern becomes `speak_spanish`.
"""
from __future__ import annotations

from dataclasses import asdict
from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.language import SPANISH, language_of
from bot.safety.categories import category_of_intent
from bot.safety.screen import (
    CHECK_IN_INTENT,
    CHECK_IN_OTHERWISE,
    DEFAULT_CRISIS_THRESHOLD,
    DEFAULT_FOLLOW_UP_THRESHOLD,
    SAFETY_KEY,
    screen,
)

NLU_FALLBACK = "nlu_fallback"
SPEAK_SPANISH = "speak_spanish"
LANGUAGE_ENTITY = "language"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyScreen(GraphComponent, IntentClassifier):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [IntentClassifier]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"crisis_threshold": DEFAULT_CRISIS_THRESHOLD, "follow_up_threshold": DEFAULT_FOLLOW_UP_THRESHOLD,
                "fallback_threshold": 0.4}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SafetyScreen":
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                self._screen(message, text)
        return messages

    def _screen(self, message: Message, text: str) -> None:
        ranking = message.get(INTENT_RANKING_KEY) or []
        # The web app marks an advisor's messages: a report about a student, often in the third person.
        reported = (message.get("metadata") or {}).get("speaker") == "advisor"
        language = language_of(text)
        concern = screen(text, ranking, crisis_threshold=self.config["crisis_threshold"],
                         follow_up_threshold=self.config["follow_up_threshold"], reported=reported, language=language)
        message.set(ENTITIES, [*(message.get(ENTITIES) or []), {
            ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY, ENTITY_ATTRIBUTE_VALUE: language, ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: len(text), EXTRACTOR: type(self).__name__}], add_to_output=True)
        if concern is not None and concern.is_check_in:
            # The intent the message has if the student says they are okay: the action replays it then.
            otherwise = self._replaced_intent(message, language, reported) or message.get(INTENT)
            finding = {**asdict(concern), CHECK_IN_OTHERWISE: otherwise}
            message.set(INTENT, {INTENT_NAME_KEY: CHECK_IN_INTENT, PREDICTED_CONFIDENCE_KEY: concern.confidence},
                        add_to_output=True)
            message.set(SAFETY_KEY, finding, add_to_output=True)
        elif concern is not None:
            intent = {INTENT_NAME_KEY: f"concern_{concern.category}", PREDICTED_CONFIDENCE_KEY: concern.confidence}
            message.set(INTENT, intent, add_to_output=True)
            message.set(SAFETY_KEY, asdict(concern), add_to_output=True)
        elif (replaced := self._replaced_intent(message, language, reported)) is not None:
            message.set(INTENT, replaced, add_to_output=True)

    def _replaced_intent(self, message: Message, language: str, reported: bool) -> Dict[Text, Any] | None:
        """The intent a message with no concern gets instead of the classifier's, or None to keep that."""
        if language == SPANISH and not reported:
            return {INTENT_NAME_KEY: SPEAK_SPANISH, PREDICTED_CONFIDENCE_KEY: 1.0}
        if category_of_intent((message.get(INTENT) or {}).get(INTENT_NAME_KEY)) is not None:
            return self._best_unconcerned_intent(message.get(INTENT_RANKING_KEY) or [])
        return None

    def _best_unconcerned_intent(self, ranking: List[Dict[Text, Any]]) -> Dict[Text, Any]:
        for entry in ranking:
            name = entry.get(INTENT_NAME_KEY)
            if name != NLU_FALLBACK and category_of_intent(name) is None:
                if (entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= self.config["fallback_threshold"]:
                    return {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: entry[PREDICTED_CONFIDENCE_KEY]}
                break
        return {INTENT_NAME_KEY: NLU_FALLBACK, PREDICTED_CONFIDENCE_KEY: self.config["fallback_threshold"]}
