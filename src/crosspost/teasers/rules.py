"""Each platform's limit and exact counting rule, in one place.

INTERFACE (implemented by the rules work):
    @dataclass(frozen=True)
    class PlatformRule:
        platform: str
        limit: int                         # in the platform's own unit
        def wire(self, text: str) -> str   # the text exactly as sent (LinkedIn: little-text escaped)
        def count(self, text: str) -> int  # the platform's count of the *wire* text
        def problems(self, text: str) -> list[str]  # other limits broken (IG hashtags/mentions)
    RULES: dict[str, PlatformRule]
    def rule_for(platform: str) -> PlatformRule
"""
