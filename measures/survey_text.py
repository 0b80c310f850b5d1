"""The student survey's own words in English and Spanish (prompts and labels live on the instrument)."""

LANGUAGES = ("en", "es")

TEXT = {
    "en": {
        "enter_title": "Join a survey",
        "enter_help": "Type the 6-character code your teacher shows.",
        "code_label": "Survey code",
        "go": "Start",
        "intro": "This survey is anonymous: do not write your name. It takes about 3 minutes.",
        "required": "required",
        "choose_one": "Choose one answer.",
        "choose_any": "Choose all that apply.",
        "submit": "Send my answers",
        "fix": "Please answer the questions marked below.",
        "missing": "Please answer this question.",
        "thanks_title": "Thank you!",
        "thanks_body": "Your answers were sent. You can close this page.",
        "closed_title": "This survey is closed",
        "closed_body": "Your teacher has closed this survey. Thank you!",
        "closed_body_adult": "The facilitator has closed this survey. Thank you!",
        "unknown_title": "We couldn't find that survey",
        "unknown_body": "Check the code with your teacher and try again.",
        "try_again": "Try another code",
        "conflict_title": "These answers were already sent",
        "conflict_body": "Your first answers were kept.",
        "bad_title": "Something went wrong with this form",
        "bad_body": "Please reload the survey and answer again.",
        "slow_title": "Too many tries",
        "slow_body": "Please wait a minute and try again.",
        "busy_title": "Please try again in a moment",
        "busy_body": "We could not reach the survey just now.",
        "busy_kept": "Your answers are still in this form. Wait a moment, then press the button again.",
        "reload": "Try again",
        "error_title": "Something went wrong on our side",
        "error_body": "Please try again in a moment. If it keeps happening, tell your teacher.",
        "switch": "Español",
    },
    "es": {
        "enter_title": "Únete a una encuesta",
        "enter_help": "Escribe el código de 6 caracteres que muestra tu maestro o maestra.",
        "code_label": "Código de la encuesta",
        "go": "Empezar",
        "intro": "Esta encuesta es anónima: no escribas tu nombre. Toma unos 3 minutos.",
        "required": "obligatoria",
        "choose_one": "Elige una respuesta.",
        "choose_any": "Elige todas las que correspondan.",
        "submit": "Enviar mis respuestas",
        "fix": "Por favor, contesta las preguntas marcadas abajo.",
        "missing": "Por favor, contesta esta pregunta.",
        "thanks_title": "¡Gracias!",
        "thanks_body": "Tus respuestas fueron enviadas. Puedes cerrar esta página.",
        "closed_title": "Esta encuesta está cerrada",
        "closed_body": "Tu maestro o maestra cerró esta encuesta. ¡Gracias!",
        "closed_body_adult": "La persona facilitadora cerró esta encuesta. ¡Gracias!",
        "unknown_title": "No encontramos esa encuesta",
        "unknown_body": "Revisa el código con tu maestro o maestra e inténtalo otra vez.",
        "try_again": "Probar otro código",
        "conflict_title": "Estas respuestas ya se enviaron",
        "conflict_body": "Se guardaron tus primeras respuestas.",
        "bad_title": "Algo salió mal con este formulario",
        "bad_body": "Por favor, vuelve a cargar la encuesta y contesta otra vez.",
        "slow_title": "Demasiados intentos",
        "slow_body": "Por favor, espera un minuto e inténtalo otra vez.",
        "busy_title": "Inténtalo otra vez en un momento",
        "busy_body": "No pudimos conectar con la encuesta ahora mismo.",
        "busy_kept": "Tus respuestas siguen en este formulario. Espera un momento y vuelve a presionar el botón.",
        "reload": "Intentar otra vez",
        "error_title": "Algo salió mal de nuestro lado",
        "error_body": "Inténtalo otra vez en un momento. Si sigue pasando, avísale a tu maestro o maestra.",
        "switch": "English",
    },
}


def pick_language(request) -> str:
    """?lang= wins, then the form's lang field, then the browser's preference."""
    for value in (request.GET.get("lang"), request.POST.get("lang")):
        if value in LANGUAGES:
            return value
    accept = request.headers.get("Accept-Language", "").lower()
    return "es" if accept.startswith("es") else "en"
