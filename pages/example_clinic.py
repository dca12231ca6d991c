"""A complete example clinic profile, so a site on a laptop shows every section.

None of it is true of any clinic. Names, the address and the licence number say "Example", the
phone number is one of those reserved for fiction (555-0100 to 555-0199) and the e-mail is at
example.org; `pages.clinic.example_fields` finds every value below while it is unchanged, so
`clinic_check` and the staff home page name each one until a manager replaces it, and the pages
say that the site shows example details.
"""

from __future__ import annotations

from decimal import Decimal

EXAMPLE_PROFILE: dict[str, object] = {
    "legal_name": "Example Clinic PLLC",
    "phone": "(206) 555-0142",
    "email": "care@example.org",
    "street_address": "100 Example Street, Suite 1",
    "city": "Seattle",
    "postal_code": "98101",
    "opening_hours": "Monday to Friday, 8 am to 6 pm",
    "opening_hours_es": "de lunes a viernes, de 8 a. m. a 6 p. m.",
    "opening_hours_schema": "Mo-Fr 08:00-18:00",
    "medical_specialty": "Anesthesia",
    "price_consultation": Decimal("150"),
    "consultation_includes": "A video visit with a clinician about your pain and your health.",
    "consultation_includes_es": (
        "Una visita por video con un profesional de la salud sobre su dolor y su salud."
    ),
    "price_per_session": Decimal("650"),
    "session_includes": "The medicine, the visit to your home, and the checks during the session.",
    "session_includes_es": "El medicamento, la visita a su casa y los controles durante la sesión.",
    "price_per_course": Decimal("3600"),
    "course_includes": "6 sessions and a follow-up call after the last one.",
    "course_includes_es": "6 sesiones y una llamada de seguimiento después de la última.",
    "hsa_fsa": "You can pay with an HSA or FSA card.",
    "hsa_fsa_es": "Puede pagar con una tarjeta HSA o FSA.",
    "superbill": "We give you a superbill after each session if you ask.",
    "superbill_es": "Si lo pide, le damos un recibo detallado después de cada sesión.",
    "session_duration": "about 2 hours",
    "session_duration_es": "unas 2 horas",
    "fasting_rule": (
        "Do not eat for 6 hours before your session. You may sip clear water until 2 hours before."
    ),
    "fasting_rule_es": (
        "No coma nada durante 6 horas antes de su sesión. Puede tomar sorbos de agua hasta 2 horas "
        "antes."
    ),
    "companion_rule": (
        "An adult stays at home with you during the session and until the next morning."
    ),
    "companion_rule_es": (
        "Un adulto se queda en casa con usted durante la sesión y hasta la mañana siguiente."
    ),
    "driving_rule": "If you need to go out the next day, plan a ride: we can help you find one.",
    "driving_rule_es": (
        "Si necesita salir al día siguiente, busque quién lo lleve: podemos ayudarle a encontrarlo."
    ),
    "visiting_clinician": "A registered nurse (RN) with years of IV experience comes to your home.",
    "visiting_clinician_es": (
        "Una enfermera registrada (RN) con años de experiencia en sueros va a su casa."
    ),
    "prescriber": (
        "Our medical director, a physician, decides if ketamine suits you and prescribes it."
    ),
    "prescriber_es": "Nuestro director médico decide si la ketamina es para usted y la receta.",
    "monitoring": (
        "The nurse checks your blood pressure and heart rate every 15 minutes, and your breathing "
        "and oxygen level the whole time."
    ),
    "monitoring_es": (
        "La enfermera mide su presión y su pulso cada 15 minutos, y su respiración y su oxígeno "
        "todo el tiempo."
    ),
    "emergency_equipment": (
        "The nurse brings oxygen, a blood pressure cuff, a pulse oximeter and medicines for "
        "nausea, high blood pressure and allergic reactions."
    ),
    "emergency_equipment_es": (
        "La enfermera lleva oxígeno, un aparato para la presión, un oxímetro y medicinas para las "
        "náuseas, la presión alta y las reacciones alérgicas."
    ),
    "emergency_plan": (
        "If your breathing slows, your blood pressure climbs or you become very upset, the nurse "
        "stops the medicine. If you need more help, the nurse calls 911 and stays with you. Before "
        "your first session we write down the nearest emergency department to your home."
    ),
    "emergency_plan_es": (
        "Si su respiración se hace lenta, su presión sube mucho o usted se altera mucho, la "
        "enfermera para el medicamento. Si necesita más ayuda, la enfermera llama al 911 y se "
        "queda con usted. Antes de su primera sesión anotamos la sala de emergencias más cercana "
        "a su casa."
    ),
    "director_name": "Jordan Example",
    "director_credentials": "MD",
    "director_licence_number": "MD00000000",
}
