"""The seeded FAQ answers in Spanish, as they read after the corrections of 0006.

Each entry is found by its English question. The Spanish goes in only where both Spanish fields are
still empty and the English answer is still the seeded one, so a translation never stands beside an
English answer it does not match, and nothing staff wrote is replaced. Going back clears only the
Spanish this migration wrote, where it is still unchanged.
"""

import importlib

from django.db import migrations

# The English answers as 0003 seeded them, with 0006's corrections applied.
SEEDED = importlib.import_module("pages.migrations.0003_seed_faq").FAQ
CORRECTED = importlib.import_module("pages.migrations.0006_faq_corrections").CORRECTIONS
ENGLISH = {item["question"]: item["answer"] for item in [*SEEDED, *CORRECTED]}

FAQ_ES = [
    {
        "question": "What is the difference between acute pain and chronic pain?",
        "question_es": "¿Qué diferencia hay entre el dolor agudo y el dolor crónico?",
        "answer_es": (
            "<p>El dolor agudo es la alarma del cuerpo. Llega rápido después de una lesión, como "
            "una cortada o una quemadura. Puede ser fuerte, pero se va a medida que el cuerpo "
            "sana.</p>"
            "<p>El dolor crónico dura más de tres meses. Puede seguir después de que la lesión ya "
            "sanó. Los nervios dañados pueden seguir mandando señales de dolor. El sistema "
            "nervioso también se puede volver más sensible. Así, con el tiempo, las señales de "
            "dolor se sienten más fuertes.</p>"
        ),
    },
    {
        "question": "What treatments are there for chronic pain?",
        "question_es": "¿Qué tratamientos hay para el dolor crónico?",
        "answer_es": (
            "<p>Hay muchos. Entre ellos están los medicamentos, la fisioterapia, los masajes, las "
            "inyecciones y la cirugía. En 2019, la fisioterapia y los masajes fueron las formas "
            "más comunes de manejar el dolor crónico en los Estados Unidos. Una de las opciones "
            "más nuevas es la terapia con ketamina.</p>"
            "<p>El plan correcto depende de la causa de su dolor y de su salud. Hable de esto con "
            "su propio médico. Si otros tratamientos no le han ayudado, puede valer la pena "
            "preguntar por la ketamina. Es una opción entre muchas, no una cura.</p>"
        ),
    },
    {
        "question": "I am worried about addiction. How does ketamine compare with opioids?",
        "question_es": "Me preocupa la adicción. ¿Cómo se compara la ketamina con los opioides?",
        "answer_es": (
            "<p>Es lógico que le preocupe. En 2017, unas 47,600 personas en los Estados Unidos "
            "murieron por sobredosis relacionadas con opioides. Son unas 130 personas cada "
            "día.</p>"
            "<p>La ketamina también se puede usar mal. Pero el riesgo de adicción es bajo cuando "
            "un profesional de salud le da dosis pequeñas y lo vigila de cerca. No es cero. Por "
            "eso, antes del tratamiento, le preguntamos si usa drogas o toma alcohol. Los expertos "
            "aconsejan no repetir el tratamiento con ketamina en personas con un problema activo "
            "de drogas o alcohol.</p>"
        ),
    },
    {
        "question": "How safe is ketamine, and who is a good fit?",
        "question_es": "¿Qué tan segura es la ketamina y para quién es adecuada?",
        "answer_es": (
            "<p>La ketamina se usa para la anestesia desde hace décadas. En la atención médica, "
            "las dosis bajas que se usan para el dolor por lo general se toleran bien. Los efectos "
            "secundarios pueden ser sentirse como en un sueño o desconectado, o ver u oír cosas "
            "que no están ahí. También puede haber náuseas, sueño y una subida de la presión "
            "arterial y del pulso. Por eso, un profesional de salud se queda con usted.</p>"
            "<p>La ketamina no es adecuada para todos. Los expertos dicen que no la deben usar "
            "las personas con enfermedad del corazón o presión arterial alta que no esté bien "
            "controlada. Dicen que se debe evitar en el embarazo, en la psicosis activa y en la "
            "enfermedad grave del hígado. La presión alta dentro del ojo o del cerebro requiere "
            "mucho cuidado. Las personas con un problema activo de drogas o alcohol no la deben "
            "recibir una y otra vez. Nuestra evaluación ayuda a un profesional de salud a decidir "
            "si la ketamina puede ser buena para usted.</p>"
        ),
    },
    {
        "question": "Who should give ketamine treatment?",
        "question_es": "¿Quién debe dar el tratamiento con ketamina?",
        "answer_es": (
            "<p>Los expertos aconsejan que el equipo que pone una infusión de ketamina pueda "
            "atender una emergencia. También aconsejan revisar su presión arterial, su pulso y su "
            "nivel de oxígeno durante la infusión.</p>"
            "<p>En AVYIA, un profesional de salud con licencia le pone cada infusión en su casa y "
            "se queda con usted todo el tiempo. La atención en casa es nuestra propia forma de "
            "trabajar. Los expertos escribieron sus consejos para las infusiones en general; no "
            "estudiaron la atención en casa.</p>"
        ),
    },
    {
        "question": "Does ketamine have long-term effects? What about the bladder?",
        "question_es": "¿La ketamina tiene efectos a largo plazo? ¿Qué pasa con la vejiga?",
        "answer_es": (
            "<p>Se han reportado problemas de la vejiga y de los riñones. La mayoría de los casos "
            "fueron en personas que tomaban mucha cantidad y a menudo, fuera de la atención "
            "médica. Es difícil saber qué quiere decir esto para el uso médico, donde las dosis "
            "son más pequeñas y se dan menos seguido. También se han visto problemas de memoria "
            "en personas que usaban mucha ketamina fuera de la atención médica.</p>"
            "<p>En estudios de la ketamina para el dolor, un pequeño número de personas tuvo "
            "problemas del hígado. Todavía hay pocos estudios sobre el uso médico a largo plazo. "
            "Por eso, vemos cómo está usted durante todo su tratamiento. Dígale enseguida a su "
            "profesional de salud si le duele al orinar, si ve sangre en la orina o si tiene que "
            "ir al baño mucho más seguido.</p>"
        ),
    },
    {
        "question": "What happens after my first course of treatment?",
        "question_es": "¿Qué pasa después de mi primer ciclo de tratamiento?",
        "answer_es": (
            "<p>Nuestro primer ciclo normal es de 6 sesiones. Este es nuestro propio plan. Los "
            "estudios usaron otros planes, a menudo con ketamina durante varios días seguidos. "
            "Después del ciclo, usted y su profesional de salud ven cómo han cambiado su dolor y "
            "su vida diaria.</p>"
            "<p>El alivio se puede ir con el tiempo. Hubo estudios del síndrome de dolor regional "
            "complejo que dieron ketamina durante varios días. En ellos, el alivio duró hasta unas "
            "12 semanas. Algunas personas necesitan una sesión de &ldquo;refuerzo&rdquo; de vez "
            "en cuando para seguir con alivio. Si la ketamina no le está ayudando, la dejamos y "
            "hablamos con usted sobre otra atención.</p>"
        ),
    },
]


def add_spanish(apps, schema_editor):
    FaqEntry = apps.get_model("pages", "FaqEntry")
    for item in FAQ_ES:
        FaqEntry.objects.filter(
            question=item["question"],
            answer=ENGLISH[item["question"]],
            question_es="",
            answer_es="",
        ).update(question_es=item["question_es"], answer_es=item["answer_es"])


def remove_spanish(apps, schema_editor):
    FaqEntry = apps.get_model("pages", "FaqEntry")
    for item in FAQ_ES:
        entries = FaqEntry.objects.filter(question=item["question"])
        entries.filter(question_es=item["question_es"]).update(question_es="")
        entries.filter(answer_es=item["answer_es"]).update(answer_es="")


class Migration(migrations.Migration):
    dependencies = [("pages", "0007_faq_and_clinician_in_spanish")]

    operations = [migrations.RunPython(add_spanish, remove_spanish)]
