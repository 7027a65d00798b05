import pytest

from bot.language import ENGLISH, SPANISH, language_of


@pytest.mark.parametrize("text", [
    "no hablo mucho inglés. ¿Puedes hablar en español?",
    "ya no quiero vivir",
    "quiero ser enfermera",
    "hablas espanol?",
    "mi mamá no sabe que estoy aquí",
])
def test_spanish_messages_are_spanish(text):
    assert language_of(text) == SPANISH


@pytest.mark.parametrize("text", [
    "no", "me too", "hola", "nxt friday", "I love fixing cars with my dad",
    "my tío taught me to weld con mi abuela",  # a Spanish word or two in an English sentence
    "can we do this in spanish", "", "🎸🎸", "<b>si</b>",
])
def test_english_and_mixed_messages_are_english(text):
    assert language_of(text) == ENGLISH
