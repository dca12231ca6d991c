"""The language-help taglines: one short line in each of Washington's most spoken languages.

The wording follows the sample taglines the HHS Office for Civil Rights published for Section 1557
of the Affordable Care Act (2016), with the clinic's phone number from settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString

from core.phones import phone_e164

from .clinic import clinic_facts


@dataclass(frozen=True)
class Tagline:
    code: str  # BCP 47, for the lang attribute
    name: str  # the language's name in that language
    text: str  # "{phone}" marks where the clinic's number goes
    direction: str = "ltr"

    def html(self) -> SafeString:
        phone = format_html(
            '<a href="tel:{}" dir="ltr">{}</a>',
            phone_e164(clinic_facts().phone),
            clinic_facts().phone,
        )
        return format_html(self.text, phone=phone)


TAGLINES = [
    Tagline(
        "es",
        "Español",
        "ATENCIÓN: si habla español, tiene a su disposición servicios gratuitos de asistencia "
        "lingüística. Llame al {phone}.",
    ),
    Tagline(
        "zh-Hant",
        "繁體中文",
        "注意：如果您使用繁體中文，您可以免費獲得語言援助服務。請致電 {phone}。",  # noqa: RUF001 (Chinese punctuation)
    ),
    Tagline(
        "vi",
        "Tiếng Việt",
        "CHÚ Ý: Nếu bạn nói Tiếng Việt, có các dịch vụ hỗ trợ ngôn ngữ miễn phí dành cho bạn. "
        "Gọi số {phone}.",
    ),
    Tagline(
        "ru",
        "Русский",
        "ВНИМАНИЕ: Если вы говорите на русском языке, то вам доступны бесплатные услуги перевода. "
        "Звоните {phone}.",
    ),
    Tagline(
        "so",
        "Soomaali",
        "FIIRO GAAR AH: Haddii aad ku hadasho Af Soomaali, adeegyada taageerada luqadda, oo "
        "bilaash ah, ayaad heli kartaa. Wac {phone}.",
    ),
    Tagline(
        "ko",
        "한국어",
        "주의: 한국어를 사용하시는 경우, 언어 지원 서비스를 무료로 이용하실 수 있습니다. "
        "{phone} 번으로 전화해 주십시오.",
    ),
    Tagline(
        "tl",
        "Tagalog",
        "PAUNAWA: Kung nagsasalita ka ng Tagalog, maaari kang gumamit ng mga serbisyo ng tulong "
        "sa wika nang walang bayad. Tumawag sa {phone}.",
    ),
    Tagline(
        "uk",
        "Українська",
        "УВАГА! Якщо ви розмовляєте українською мовою, ви можете звернутися до безкоштовної "
        "служби мовної підтримки. Телефонуйте за номером {phone}.",
    ),
    Tagline(
        "am",
        "አማርኛ",
        "ማስታወሻ: የሚናገሩት ቋንቋ ኣማርኛ ከሆነ የትርጉም እርዳታ ድርጅቶች፣ በነጻ ሊያግዝዎት ተዘጋጀተዋል፡ "
        "ወደ ሚከተለው ቁጥር ይደውሉ {phone}.",
    ),
    Tagline(
        "ar",
        "العربية",
        "ملحوظة: إذا كنت تتحدث العربية، فإن خدمات المساعدة اللغوية تتوفر لك بالمجان. "
        "اتصل برقم {phone}.",
        direction="rtl",
    ),
]
