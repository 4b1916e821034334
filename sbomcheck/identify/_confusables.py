"""Unicode confusables folded to ASCII letters: generated, do not edit.

Made by tools/gen_confusables.py from Unicode's confusables.txt (UTS #39); see that
script for what is kept and docs/aliases.md for how the matcher uses it.

Its length is data: one line per folded character, written by the script, never by hand.
"""

SOURCE_URL = "https://www.unicode.org/Public/security/latest/confusables.txt"
OBTAINED_FROM = "https://github.com/texttics/texttics-site/blob/a2b12fa7a560ff748af63ce51689cfcb1d757f3d/confusables.txt"
VERSION = "17.0.0"
DATE = "2025-07-22, 05:49:37 GMT"
SHA256 = "ec88ecebcf89f63f813d460842b0cf8322744b40a0b2c06f88a2cea48c0351ea"

FOLD: dict[str, str] = {
    "\u00a2": "c",  # CENT SIGN
    "\u00a5": "y",  # YEN SIGN
    "\u00d7": "x",  # MULTIPLICATION SIGN
    "\u00f0": "d",  # LATIN SMALL LETTER ETH
    "\u00f8": "o",  # LATIN SMALL LETTER O WITH STROKE
    "\u00fe": "p",  # LATIN SMALL LETTER THORN
    "\u0111": "d",  # LATIN SMALL LETTER D WITH STROKE
    "\u0127": "h",  # LATIN SMALL LETTER H WITH STROKE
    "\u0131": "i",  # LATIN SMALL LETTER DOTLESS I
    "\u0142": "l",  # LATIN SMALL LETTER L WITH STROKE
    "\u014b": "n",  # LATIN SMALL LETTER ENG
    "\u0167": "t",  # LATIN SMALL LETTER T WITH STROKE
    "\u0180": "b",  # LATIN SMALL LETTER B WITH STROKE
    "\u0183": "b",  # LATIN SMALL LETTER B WITH TOPBAR
    "\u0185": "b",  # LATIN SMALL LETTER TONE SIX
    "\u018c": "d",  # LATIN SMALL LETTER D WITH TOPBAR
    "\u018d": "g",  # LATIN SMALL LETTER TURNED DELTA
    "\u0192": "f",  # LATIN SMALL LETTER F WITH HOOK
    "\u0199": "k",  # LATIN SMALL LETTER K WITH HOOK
    "\u019a": "l",  # LATIN SMALL LETTER L WITH BAR
    "\u019e": "n",  # LATIN SMALL LETTER N WITH LONG RIGHT LEG
    "\u01a5": "p",  # LATIN SMALL LETTER P WITH HOOK
    "\u01ad": "t",  # LATIN SMALL LETTER T WITH HOOK
    "\u01b4": "y",  # LATIN SMALL LETTER Y WITH HOOK
    "\u01b6": "z",  # LATIN SMALL LETTER Z WITH STROKE
    "\u01bd": "s",  # LATIN SMALL LETTER TONE FIVE
    "\u01bf": "p",  # LATIN LETTER WYNN
    "\u01c0": "l",  # LATIN LETTER DENTAL CLICK
    "\u01e5": "g",  # LATIN SMALL LETTER G WITH STROKE
    "\u0225": "z",  # LATIN SMALL LETTER Z WITH HOOK
    "\u023c": "c",  # LATIN SMALL LETTER C WITH STROKE
    "\u0247": "e",  # LATIN SMALL LETTER E WITH STROKE
    "\u0249": "j",  # LATIN SMALL LETTER J WITH STROKE
    "\u024d": "r",  # LATIN SMALL LETTER R WITH STROKE
    "\u024f": "y",  # LATIN SMALL LETTER Y WITH STROKE
    "\u0251": "a",  # LATIN SMALL LETTER ALPHA
    "\u0253": "b",  # LATIN SMALL LETTER B WITH HOOK
    "\u0256": "d",  # LATIN SMALL LETTER D WITH TAIL
    "\u0257": "d",  # LATIN SMALL LETTER D WITH HOOK
    "\u0260": "g",  # LATIN SMALL LETTER G WITH HOOK
    "\u0261": "g",  # LATIN SMALL LETTER SCRIPT G
    "\u0263": "y",  # LATIN SMALL LETTER GAMMA
    "\u0266": "h",  # LATIN SMALL LETTER H WITH HOOK
    "\u0268": "i",  # LATIN SMALL LETTER I WITH STROKE
    "\u0269": "i",  # LATIN SMALL LETTER IOTA
    "\u026a": "i",  # LATIN LETTER SMALL CAPITAL I
    "\u026b": "l",  # LATIN SMALL LETTER L WITH MIDDLE TILDE
    "\u026d": "l",  # LATIN SMALL LETTER L WITH RETROFLEX HOOK
    "\u026f": "w",  # LATIN SMALL LETTER TURNED M
    "\u0272": "n",  # LATIN SMALL LETTER N WITH LEFT HOOK
    "\u0273": "n",  # LATIN SMALL LETTER N WITH RETROFLEX HOOK
    "\u0275": "o",  # LATIN SMALL LETTER BARRED O
    "\u027c": "r",  # LATIN SMALL LETTER R WITH LONG LEG
    "\u027d": "r",  # LATIN SMALL LETTER R WITH TAIL
    "\u0280": "r",  # LATIN LETTER SMALL CAPITAL R
    "\u0282": "s",  # LATIN SMALL LETTER S WITH HOOK
    "\u0288": "t",  # LATIN SMALL LETTER T WITH RETROFLEX HOOK
    "\u0289": "u",  # LATIN SMALL LETTER U BAR
    "\u028b": "u",  # LATIN SMALL LETTER V WITH HOOK
    "\u028f": "y",  # LATIN LETTER SMALL CAPITAL Y
    "\u0290": "z",  # LATIN SMALL LETTER Z WITH RETROFLEX HOOK
    "\u029d": "j",  # LATIN SMALL LETTER J WITH CROSSED-TAIL
    "\u02a0": "q",  # LATIN SMALL LETTER Q WITH HOOK
    "\u03b1": "a",  # GREEK SMALL LETTER ALPHA
    "\u03b2": "b",  # GREEK SMALL LETTER BETA
    "\u03b3": "y",  # GREEK SMALL LETTER GAMMA
    "\u03b5": "e",  # GREEK SMALL LETTER EPSILON
    "\u03b6": "z",  # GREEK SMALL LETTER ZETA
    "\u03b7": "n",  # GREEK SMALL LETTER ETA
    "\u03b8": "o",  # GREEK SMALL LETTER THETA
    "\u03b9": "i",  # GREEK SMALL LETTER IOTA
    "\u03ba": "k",  # GREEK SMALL LETTER KAPPA
    "\u03bc": "m",  # GREEK SMALL LETTER MU
    "\u03bd": "v",  # GREEK SMALL LETTER NU
    "\u03bf": "o",  # GREEK SMALL LETTER OMICRON
    "\u03c1": "p",  # GREEK SMALL LETTER RHO
    "\u03c3": "o",  # GREEK SMALL LETTER SIGMA
    "\u03c4": "t",  # GREEK SMALL LETTER TAU
    "\u03c5": "u",  # GREEK SMALL LETTER UPSILON
    "\u03c7": "x",  # GREEK SMALL LETTER CHI
    "\u03dd": "f",  # GREEK SMALL LETTER DIGAMMA
    "\u03ed": "o",  # COPTIC SMALL LETTER SHIMA
    "\u03f3": "j",  # GREEK LETTER YOT
    "\u03f8": "p",  # GREEK SMALL LETTER SHO
    "\u03fb": "m",  # GREEK SMALL LETTER SAN
    "\u0430": "a",  # CYRILLIC SMALL LETTER A
    "\u0431": "b",  # CYRILLIC SMALL LETTER BE
    "\u0432": "b",  # CYRILLIC SMALL LETTER VE
    "\u0433": "r",  # CYRILLIC SMALL LETTER GHE
    "\u0435": "e",  # CYRILLIC SMALL LETTER IE
    "\u043a": "k",  # CYRILLIC SMALL LETTER KA
    "\u043c": "m",  # CYRILLIC SMALL LETTER EM
    "\u043d": "h",  # CYRILLIC SMALL LETTER EN
    "\u043e": "o",  # CYRILLIC SMALL LETTER O
    "\u0440": "p",  # CYRILLIC SMALL LETTER ER
    "\u0441": "c",  # CYRILLIC SMALL LETTER ES
    "\u0442": "t",  # CYRILLIC SMALL LETTER TE
    "\u0443": "y",  # CYRILLIC SMALL LETTER U
    "\u0445": "x",  # CYRILLIC SMALL LETTER HA
    "\u0448": "w",  # CYRILLIC SMALL LETTER SHA
    "\u044c": "b",  # CYRILLIC SMALL LETTER SOFT SIGN
    "\u0455": "s",  # CYRILLIC SMALL LETTER DZE
    "\u0456": "i",  # CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I
    "\u0458": "j",  # CYRILLIC SMALL LETTER JE
    "\u045b": "h",  # CYRILLIC SMALL LETTER TSHE
    "\u045f": "u",  # CYRILLIC SMALL LETTER DZHE
    "\u0461": "w",  # CYRILLIC SMALL LETTER OMEGA
    "\u0463": "b",  # CYRILLIC SMALL LETTER YAT
    "\u0473": "o",  # CYRILLIC SMALL LETTER FITA
    "\u0475": "v",  # CYRILLIC SMALL LETTER IZHITSA
    "\u047d": "w",  # CYRILLIC SMALL LETTER OMEGA WITH TITLO
    "\u048d": "b",  # CYRILLIC SMALL LETTER SEMISOFT SIGN
    "\u0493": "r",  # CYRILLIC SMALL LETTER GHE WITH STROKE
    "\u049b": "k",  # CYRILLIC SMALL LETTER KA WITH DESCENDER
    "\u049f": "k",  # CYRILLIC SMALL LETTER KA WITH STROKE
    "\u04a3": "h",  # CYRILLIC SMALL LETTER EN WITH DESCENDER
    "\u04ab": "c",  # CYRILLIC SMALL LETTER ES WITH DESCENDER
    "\u04ad": "t",  # CYRILLIC SMALL LETTER TE WITH DESCENDER
    "\u04af": "y",  # CYRILLIC SMALL LETTER STRAIGHT U
    "\u04b1": "y",  # CYRILLIC SMALL LETTER STRAIGHT U WITH STROKE
    "\u04b3": "x",  # CYRILLIC SMALL LETTER HA WITH DESCENDER
    "\u04bb": "h",  # CYRILLIC SMALL LETTER SHHA
    "\u04bd": "e",  # CYRILLIC SMALL LETTER ABKHASIAN CHE
    "\u04bf": "e",  # CYRILLIC SMALL LETTER ABKHASIAN CHE WITH DESCENDER
    "\u04c8": "h",  # CYRILLIC SMALL LETTER EN WITH HOOK
    "\u04ca": "h",  # CYRILLIC SMALL LETTER EN WITH TAIL
    "\u04ce": "m",  # CYRILLIC SMALL LETTER EM WITH TAIL
    "\u04cf": "l",  # CYRILLIC SMALL LETTER PALOCHKA
    "\u04e9": "o",  # CYRILLIC SMALL LETTER BARRED O
    "\u0501": "d",  # CYRILLIC SMALL LETTER KOMI DE
    "\u050d": "g",  # CYRILLIC SMALL LETTER KOMI SJE
    "\u051b": "q",  # CYRILLIC SMALL LETTER QA
    "\u051d": "w",  # CYRILLIC SMALL LETTER WE
    "\u0561": "w",  # ARMENIAN SMALL LETTER AYB
    "\u0563": "q",  # ARMENIAN SMALL LETTER GIM
    "\u0566": "q",  # ARMENIAN SMALL LETTER ZA
    "\u0570": "h",  # ARMENIAN SMALL LETTER HO
    "\u0572": "n",  # ARMENIAN SMALL LETTER GHAD
    "\u0578": "n",  # ARMENIAN SMALL LETTER VO
    "\u057c": "n",  # ARMENIAN SMALL LETTER RA
    "\u057d": "u",  # ARMENIAN SMALL LETTER SEH
    "\u057f": "s",  # ARMENIAN SMALL LETTER TIWN
    "\u0581": "g",  # ARMENIAN SMALL LETTER CO
    "\u0582": "i",  # ARMENIAN SMALL LETTER YIWN
    "\u0584": "f",  # ARMENIAN SMALL LETTER KEH
    "\u0585": "o",  # ARMENIAN SMALL LETTER OH
    "\u05c0": "l",  # HEBREW PUNCTUATION PASEQ
    "\u05d5": "l",  # HEBREW LETTER VAV
    "\u05d8": "v",  # HEBREW LETTER TET
    "\u05df": "l",  # HEBREW LETTER FINAL NUN
    "\u05e1": "o",  # HEBREW LETTER SAMEKH
    "\u0627": "l",  # ARABIC LETTER ALEF
    "\u0647": "o",  # ARABIC LETTER HEH
    "\u0661": "l",  # ARABIC-INDIC DIGIT ONE
    "\u0665": "o",  # ARABIC-INDIC DIGIT FIVE
    "\u0667": "v",  # ARABIC-INDIC DIGIT SEVEN
    "\u0673": "l",  # ARABIC LETTER ALEF WITH WAVY HAMZA BELOW
    "\u06be": "o",  # ARABIC LETTER HEH DOACHASHMEE
    "\u06c1": "o",  # ARABIC LETTER HEH GOAL
    "\u06d5": "o",  # ARABIC LETTER AE
    "\u06f1": "l",  # EXTENDED ARABIC-INDIC DIGIT ONE
    "\u06f5": "o",  # EXTENDED ARABIC-INDIC DIGIT FIVE
    "\u06f7": "v",  # EXTENDED ARABIC-INDIC DIGIT SEVEN
    "\u06ff": "o",  # ARABIC LETTER HEH WITH INVERTED V
    "\u07c0": "o",  # NKO DIGIT ZERO
    "\u07ca": "l",  # NKO LETTER A
    "\u0966": "o",  # DEVANAGARI DIGIT ZERO
    "\u09e6": "o",  # BENGALI DIGIT ZERO
    "\u0a66": "o",  # GURMUKHI DIGIT ZERO
    "\u0ae6": "o",  # GUJARATI DIGIT ZERO
    "\u0b20": "o",  # ORIYA LETTER TTHA
    "\u0b66": "o",  # ORIYA DIGIT ZERO
    "\u0be6": "o",  # TAMIL DIGIT ZERO
    "\u0c02": "o",  # TELUGU SIGN ANUSVARA
    "\u0c66": "o",  # TELUGU DIGIT ZERO
    "\u0c82": "o",  # KANNADA SIGN ANUSVARA
    "\u0ce6": "o",  # KANNADA DIGIT ZERO
    "\u0d02": "o",  # MALAYALAM SIGN ANUSVARA
    "\u0d1f": "s",  # MALAYALAM LETTER TTA
    "\u0d20": "o",  # MALAYALAM LETTER TTHA
    "\u0d66": "o",  # MALAYALAM DIGIT ZERO
    "\u0d82": "o",  # SINHALA SIGN ANUSVARAYA
    "\u0e50": "o",  # THAI DIGIT ZERO
    "\u0ed0": "o",  # LAO DIGIT ZERO
    "\u1004": "c",  # MYANMAR LETTER NGA
    "\u101d": "o",  # MYANMAR LETTER WA
    "\u1040": "o",  # MYANMAR DIGIT ZERO
    "\u105a": "c",  # MYANMAR LETTER MON NGA
    "\u10e7": "y",  # GEORGIAN LETTER QAR
    "\u10ff": "o",  # GEORGIAN LETTER LABIAL SIGN
    "\u1200": "u",  # ETHIOPIC SYLLABLE HA
    "\u12d0": "o",  # ETHIOPIC SYLLABLE PHARYNGEAL A
    "\u13a0": "d",  # CHEROKEE LETTER A
    "\u13a1": "r",  # CHEROKEE LETTER E
    "\u13a2": "t",  # CHEROKEE LETTER I
    "\u13a4": "o",  # CHEROKEE LETTER U
    "\u13a5": "i",  # CHEROKEE LETTER V
    "\u13a9": "y",  # CHEROKEE LETTER GI
    "\u13aa": "a",  # CHEROKEE LETTER GO
    "\u13ab": "j",  # CHEROKEE LETTER GU
    "\u13ac": "e",  # CHEROKEE LETTER GV
    "\u13b1": "r",  # CHEROKEE LETTER HU
    "\u13b3": "w",  # CHEROKEE LETTER LA
    "\u13b7": "m",  # CHEROKEE LETTER LU
    "\u13bb": "h",  # CHEROKEE LETTER MI
    "\u13bd": "y",  # CHEROKEE LETTER MU
    "\u13be": "o",  # CHEROKEE LETTER NA
    "\u13c0": "g",  # CHEROKEE LETTER NAH
    "\u13c2": "h",  # CHEROKEE LETTER NI
    "\u13c3": "z",  # CHEROKEE LETTER NO
    "\u13cc": "u",  # CHEROKEE LETTER SA
    "\u13cf": "b",  # CHEROKEE LETTER SI
    "\u13d2": "r",  # CHEROKEE LETTER SV
    "\u13d4": "w",  # CHEROKEE LETTER TA
    "\u13d5": "s",  # CHEROKEE LETTER DE
    "\u13d9": "v",  # CHEROKEE LETTER DO
    "\u13da": "s",  # CHEROKEE LETTER DU
    "\u13de": "l",  # CHEROKEE LETTER TLE
    "\u13df": "c",  # CHEROKEE LETTER TLI
    "\u13e2": "p",  # CHEROKEE LETTER TLV
    "\u13e6": "k",  # CHEROKEE LETTER TSO
    "\u13e7": "d",  # CHEROKEE LETTER TSU
    "\u13eb": "o",  # CHEROKEE LETTER WI
    "\u13f2": "h",  # CHEROKEE LETTER YO
    "\u13f3": "g",  # CHEROKEE LETTER YU
    "\u13f4": "b",  # CHEROKEE LETTER YV
    "\u142f": "v",  # CANADIAN SYLLABICS PE
    "\u144c": "u",  # CANADIAN SYLLABICS TE
    "\u146d": "p",  # CANADIAN SYLLABICS KI
    "\u146f": "d",  # CANADIAN SYLLABICS KO
    "\u1472": "b",  # CANADIAN SYLLABICS KA
    "\u1473": "b",  # CANADIAN SYLLABICS KAA
    "\u148d": "j",  # CANADIAN SYLLABICS CO
    "\u14aa": "l",  # CANADIAN SYLLABICS MA
    "\u1541": "x",  # CANADIAN SYLLABICS SAYISI YI
    "\u157c": "h",  # CANADIAN SYLLABICS NUNAVUT H
    "\u157d": "x",  # CANADIAN SYLLABICS HK
    "\u1587": "r",  # CANADIAN SYLLABICS TLHI
    "\u15af": "b",  # CANADIAN SYLLABICS AIVILIK B
    "\u15b4": "f",  # CANADIAN SYLLABICS BLACKFOOT WE
    "\u15c5": "a",  # CANADIAN SYLLABICS CARRIER GHO
    "\u15de": "d",  # CANADIAN SYLLABICS CARRIER THE
    "\u15ea": "d",  # CANADIAN SYLLABICS CARRIER PE
    "\u15f0": "m",  # CANADIAN SYLLABICS CARRIER GO
    "\u15f7": "b",  # CANADIAN SYLLABICS CARRIER KHE
    "\u166d": "x",  # CANADIAN SYLLABICS CHI SIGN
    "\u166e": "x",  # CANADIAN SYLLABICS FULL STOP
    "\u16b7": "x",  # RUNIC LETTER GEBO GYFU G
    "\u16c1": "l",  # RUNIC LETTER ISAZ IS ISS I
    "\u16d5": "k",  # RUNIC LETTER OPEN-P
    "\u16d6": "m",  # RUNIC LETTER EHWAZ EH E
    "\u17e0": "o",  # KHMER DIGIT ZERO
    "\u1d04": "c",  # LATIN LETTER SMALL CAPITAL C
    "\u1d0f": "o",  # LATIN LETTER SMALL CAPITAL O
    "\u1d11": "o",  # LATIN SMALL LETTER SIDEWAYS O
    "\u1d1c": "u",  # LATIN LETTER SMALL CAPITAL U
    "\u1d20": "v",  # LATIN LETTER SMALL CAPITAL V
    "\u1d21": "w",  # LATIN LETTER SMALL CAPITAL W
    "\u1d22": "z",  # LATIN LETTER SMALL CAPITAL Z
    "\u1d26": "r",  # GREEK LETTER SMALL CAPITAL GAMMA
    "\u1d6e": "f",  # LATIN SMALL LETTER F WITH MIDDLE TILDE
    "\u1d70": "n",  # LATIN SMALL LETTER N WITH MIDDLE TILDE
    "\u1d72": "r",  # LATIN SMALL LETTER R WITH MIDDLE TILDE
    "\u1d74": "s",  # LATIN SMALL LETTER S WITH MIDDLE TILDE
    "\u1d75": "t",  # LATIN SMALL LETTER T WITH MIDDLE TILDE
    "\u1d76": "z",  # LATIN SMALL LETTER Z WITH MIDDLE TILDE
    "\u1d7b": "i",  # LATIN SMALL CAPITAL LETTER I WITH STROKE
    "\u1d7c": "i",  # LATIN SMALL LETTER IOTA WITH STROKE
    "\u1d7d": "p",  # LATIN SMALL LETTER P WITH STROKE
    "\u1d7e": "u",  # LATIN SMALL CAPITAL LETTER U WITH STROKE
    "\u1d83": "g",  # LATIN SMALL LETTER G WITH PALATAL HOOK
    "\u1d8c": "y",  # LATIN SMALL LETTER V WITH PALATAL HOOK
    "\u1e9d": "f",  # LATIN SMALL LETTER LONG S WITH HIGH STROKE
    "\u1eff": "y",  # LATIN SMALL LETTER Y WITH LOOP
    "\u20a1": "c",  # COLON SIGN
    "\u20a9": "w",  # WON SIGN
    "\u20ab": "d",  # DONG SIGN
    "\u20ad": "k",  # KIP SIGN
    "\u20ae": "t",  # TUGRIK SIGN
    "\u212e": "e",  # ESTIMATED SYMBOL
    "\u2223": "l",  # DIVIDES
    "\u2228": "v",  # LOGICAL OR
    "\u222a": "u",  # UNION
    "\u2296": "o",  # CIRCLED MINUS
    "\u229d": "o",  # CIRCLED DASH
    "\u22a4": "t",  # DOWN TACK
    "\u22c1": "v",  # N-ARY LOGICAL OR
    "\u22c3": "u",  # N-ARY UNION
    "\u22ff": "e",  # Z NOTATION BAG MEMBERSHIP
    "\u2361": "t",  # APL FUNCTIONAL SYMBOL UP TACK DIAERESIS
    "\u236c": "o",  # APL FUNCTIONAL SYMBOL ZILDE
    "\u2373": "i",  # APL FUNCTIONAL SYMBOL IOTA
    "\u2374": "p",  # APL FUNCTIONAL SYMBOL RHO
    "\u2376": "a",  # APL FUNCTIONAL SYMBOL ALPHA UNDERBAR
    "\u2378": "i",  # APL FUNCTIONAL SYMBOL IOTA UNDERBAR
    "\u237a": "a",  # APL FUNCTIONAL SYMBOL ALPHA
    "\u23fd": "l",  # POWER ON SYMBOL
    "\u2502": "l",  # BOX DRAWINGS LIGHT VERTICAL
    "\u2573": "x",  # BOX DRAWINGS LIGHT DIAGONAL CROSS
    "\u27d9": "t",  # LARGE DOWN TACK
    "\u292b": "x",  # RISING DIAGONAL CROSSING FALLING DIAGONAL
    "\u292c": "x",  # FALLING DIAGONAL CROSSING RISING DIAGONAL
    "\u2a2f": "x",  # VECTOR OR CROSS PRODUCT
    "\u2a30": "x",  # MULTIPLICATION SIGN WITH DOT ABOVE
    "\u2c66": "t",  # LATIN SMALL LETTER T WITH DIAGONAL STROKE
    "\u2c68": "h",  # LATIN SMALL LETTER H WITH DESCENDER
    "\u2c6a": "k",  # LATIN SMALL LETTER K WITH DESCENDER
    "\u2c83": "b",  # COPTIC SMALL LETTER VIDA
    "\u2c85": "r",  # COPTIC SMALL LETTER GAMMA
    "\u2c8f": "h",  # COPTIC SMALL LETTER HATE
    "\u2c91": "o",  # COPTIC SMALL LETTER THETHE
    "\u2c93": "i",  # COPTIC SMALL LETTER IAUDA
    "\u2c95": "k",  # COPTIC SMALL LETTER KAPA
    "\u2c99": "m",  # COPTIC SMALL LETTER MI
    "\u2c9b": "n",  # COPTIC SMALL LETTER NI
    "\u2c9f": "o",  # COPTIC SMALL LETTER O
    "\u2ca3": "p",  # COPTIC SMALL LETTER RO
    "\u2ca5": "c",  # COPTIC SMALL LETTER SIMA
    "\u2ca7": "t",  # COPTIC SMALL LETTER TAU
    "\u2ca9": "y",  # COPTIC SMALL LETTER UA
    "\u2cad": "x",  # COPTIC SMALL LETTER KHI
    "\u2cbd": "w",  # COPTIC SMALL LETTER CRYPTOGRAMMIC NI
    "\u2ccf": "p",  # COPTIC SMALL LETTER OLD COPTIC HA
    "\u2cd1": "l",  # COPTIC SMALL LETTER L-SHAPED HA
    "\u2d31": "o",  # TIFINAGH LETTER YAB
    "\u2d38": "v",  # TIFINAGH LETTER YADH
    "\u2d39": "e",  # TIFINAGH LETTER YADD
    "\u2d41": "o",  # TIFINAGH LETTER BERBER ACADEMY YAH
    "\u2d4f": "l",  # TIFINAGH LETTER YAN
    "\u2d54": "o",  # TIFINAGH LETTER YAR
    "\u2d55": "q",  # TIFINAGH LETTER YARR
    "\u2d5d": "x",  # TIFINAGH LETTER YATH
    "\ua4d0": "b",  # LISU LETTER BA
    "\ua4d1": "p",  # LISU LETTER PA
    "\ua4d2": "d",  # LISU LETTER PHA
    "\ua4d3": "d",  # LISU LETTER DA
    "\ua4d4": "t",  # LISU LETTER TA
    "\ua4d6": "g",  # LISU LETTER GA
    "\ua4d7": "k",  # LISU LETTER KA
    "\ua4d9": "j",  # LISU LETTER JA
    "\ua4da": "c",  # LISU LETTER CA
    "\ua4dc": "z",  # LISU LETTER DZA
    "\ua4dd": "f",  # LISU LETTER TSA
    "\ua4df": "m",  # LISU LETTER MA
    "\ua4e0": "n",  # LISU LETTER NA
    "\ua4e1": "l",  # LISU LETTER LA
    "\ua4e2": "s",  # LISU LETTER SA
    "\ua4e3": "r",  # LISU LETTER ZHA
    "\ua4e6": "v",  # LISU LETTER HA
    "\ua4e7": "h",  # LISU LETTER XA
    "\ua4ea": "w",  # LISU LETTER WA
    "\ua4eb": "x",  # LISU LETTER SHA
    "\ua4ec": "y",  # LISU LETTER YA
    "\ua4ee": "a",  # LISU LETTER A
    "\ua4f0": "e",  # LISU LETTER E
    "\ua4f2": "l",  # LISU LETTER I
    "\ua4f3": "o",  # LISU LETTER O
    "\ua4f4": "u",  # LISU LETTER U
    "\ua647": "i",  # CYRILLIC SMALL LETTER IOTA
    "\ua695": "h",  # CYRILLIC SMALL LETTER HWE
    "\ua6df": "v",  # BAMUM LETTER KO
    "\ua731": "s",  # LATIN LETTER SMALL CAPITAL S
    "\ua741": "k",  # LATIN SMALL LETTER K WITH STROKE
    "\ua74b": "o",  # LATIN SMALL LETTER O WITH LONG STROKE OVERLAY
    "\ua761": "w",  # LATIN SMALL LETTER VY
    "\ua799": "f",  # LATIN SMALL LETTER F WITH STROKE
    "\ua79f": "u",  # LATIN SMALL LETTER VOLAPUK UE
    "\ua7b5": "b",  # LATIN SMALL LETTER BETA
    "\uab32": "e",  # LATIN SMALL LETTER BLACKLETTER E
    "\uab35": "f",  # LATIN SMALL LETTER LENIS F
    "\uab3d": "o",  # LATIN SMALL LETTER BLACKLETTER O
    "\uab3e": "o",  # LATIN SMALL LETTER BLACKLETTER O WITH STROKE
    "\uab47": "r",  # LATIN SMALL LETTER R WITHOUT HANDLE
    "\uab48": "r",  # LATIN SMALL LETTER DOUBLE R
    "\uab4e": "u",  # LATIN SMALL LETTER U WITH SHORT RIGHT LEG
    "\uab52": "u",  # LATIN SMALL LETTER U WITH LEFT HOOK
    "\uab53": "x",  # LATIN SMALL LETTER CHI
    "\uab5a": "y",  # LATIN SMALL LETTER Y WITH SHORT RIGHT LEG
    "\U0001018e": "n",  # NOMISMA SIGN
    "\U00010196": "x",  # ROMAN DENARIUS SIGN
    "\U00010197": "v",  # ROMAN QUINARIUS SIGN
    "\U00010282": "b",  # LYCIAN LETTER B
    "\U00010286": "e",  # LYCIAN LETTER I
    "\U00010287": "f",  # LYCIAN LETTER W
    "\U0001028a": "l",  # LYCIAN LETTER J
    "\U00010290": "x",  # LYCIAN LETTER MM
    "\U00010292": "o",  # LYCIAN LETTER U
    "\U00010295": "p",  # LYCIAN LETTER R
    "\U00010296": "s",  # LYCIAN LETTER S
    "\U00010297": "t",  # LYCIAN LETTER T
    "\U000102a0": "a",  # CARIAN LETTER A
    "\U000102a1": "b",  # CARIAN LETTER P2
    "\U000102a2": "c",  # CARIAN LETTER D
    "\U000102a5": "f",  # CARIAN LETTER R
    "\U000102ab": "o",  # CARIAN LETTER O
    "\U000102b0": "m",  # CARIAN LETTER S
    "\U000102b1": "t",  # CARIAN LETTER C-18
    "\U000102b2": "y",  # CARIAN LETTER U
    "\U000102b4": "x",  # CARIAN LETTER X
    "\U000102cf": "h",  # CARIAN LETTER E2
    "\U000102f5": "z",  # COPTIC EPACT NUMBER THREE HUNDRED
    "\U00010301": "b",  # OLD ITALIC LETTER BE
    "\U00010302": "c",  # OLD ITALIC LETTER KE
    "\U00010309": "l",  # OLD ITALIC LETTER I
    "\U00010311": "m",  # OLD ITALIC LETTER SHE
    "\U00010315": "t",  # OLD ITALIC LETTER TE
    "\U00010317": "x",  # OLD ITALIC LETTER EKS
    "\U00010320": "l",  # OLD ITALIC NUMERAL ONE
    "\U00010322": "x",  # OLD ITALIC NUMERAL TEN
    "\U0001042c": "o",  # DESERET SMALL LETTER LONG O
    "\U0001043d": "c",  # DESERET SMALL LETTER CHEE
    "\U00010443": "l",  # DESERET SMALL LETTER ETH
    "\U00010448": "s",  # DESERET SMALL LETTER ZHEE
    "\U000104dc": "r",  # OSAGE SMALL LETTER BRA
    "\U000104ea": "o",  # OSAGE SMALL LETTER O
    "\U000104f6": "u",  # OSAGE SMALL LETTER U
    "\U00010513": "n",  # ELBASAN LETTER NE
    "\U00010516": "o",  # ELBASAN LETTER O
    "\U00010518": "k",  # ELBASAN LETTER QE
    "\U0001051c": "c",  # ELBASAN LETTER SHE
    "\U0001051d": "v",  # ELBASAN LETTER TE
    "\U00010525": "f",  # ELBASAN LETTER GHE
    "\U00010526": "l",  # ELBASAN LETTER GHAMMA
    "\U00010527": "x",  # ELBASAN LETTER KHE
    "\U000114c5": "w",  # TIRHUTA GVANG
    "\U000114d0": "o",  # TIRHUTA DIGIT ZERO
    "\U00011706": "v",  # AHOM LETTER PA
    "\U0001170a": "w",  # AHOM LETTER JA
    "\U0001170e": "w",  # AHOM LETTER LA
    "\U0001170f": "w",  # AHOM LETTER SA
    "\U000118c0": "v",  # WARANG CITI SMALL LETTER NGAA
    "\U000118c1": "s",  # WARANG CITI SMALL LETTER A
    "\U000118c2": "f",  # WARANG CITI SMALL LETTER WI
    "\U000118c3": "i",  # WARANG CITI SMALL LETTER YU
    "\U000118c4": "z",  # WARANG CITI SMALL LETTER YA
    "\U000118c6": "e",  # WARANG CITI SMALL LETTER II
    "\U000118c8": "o",  # WARANG CITI SMALL LETTER E
    "\U000118c9": "z",  # WARANG CITI SMALL LETTER O
    "\U000118ce": "e",  # WARANG CITI SMALL LETTER YUJ
    "\U000118d2": "l",  # WARANG CITI SMALL LETTER TTE
    "\U000118d5": "o",  # WARANG CITI SMALL LETTER AT
    "\U000118d7": "o",  # WARANG CITI SMALL LETTER BU
    "\U000118d8": "u",  # WARANG CITI SMALL LETTER PU
    "\U000118dc": "y",  # WARANG CITI SMALL LETTER HAR
    "\U000118e0": "o",  # WARANG CITI DIGIT ZERO
    "\U000118e5": "z",  # WARANG CITI DIGIT FIVE
    "\U000118e6": "w",  # WARANG CITI DIGIT SIX
    "\U000118e9": "c",  # WARANG CITI DIGIT NINE
    "\U000118ec": "x",  # WARANG CITI NUMBER THIRTY
    "\U000118ef": "w",  # WARANG CITI NUMBER SIXTY
    "\U000118f2": "c",  # WARANG CITI NUMBER NINETY
    "\U00011dda": "l",  # U+11DDA
    "\U00011de0": "o",  # U+11DE0
    "\U00011de1": "l",  # U+11DE1
    "\U00016eaa": "l",  # U+16EAA
    "\U00016eb6": "b",  # U+16EB6
    "\U00016f08": "v",  # MIAO LETTER VA
    "\U00016f0a": "t",  # MIAO LETTER TA
    "\U00016f16": "l",  # MIAO LETTER LA
    "\U00016f28": "l",  # MIAO LETTER GHA
    "\U00016f35": "r",  # MIAO LETTER ZHA
    "\U00016f3a": "s",  # MIAO LETTER SA
    "\U00016f40": "a",  # MIAO LETTER ZZYA
    "\U00016f42": "u",  # MIAO LETTER WA
    "\U00016f43": "y",  # MIAO LETTER AH
    "\U0001ccd6": "a",  # U+1CCD6
    "\U0001ccd7": "b",  # U+1CCD7
    "\U0001ccd8": "c",  # U+1CCD8
    "\U0001ccd9": "d",  # U+1CCD9
    "\U0001ccda": "e",  # U+1CCDA
    "\U0001ccdb": "f",  # U+1CCDB
    "\U0001ccdc": "g",  # U+1CCDC
    "\U0001ccdd": "h",  # U+1CCDD
    "\U0001ccde": "l",  # U+1CCDE
    "\U0001ccdf": "j",  # U+1CCDF
    "\U0001cce0": "k",  # U+1CCE0
    "\U0001cce1": "l",  # U+1CCE1
    "\U0001cce2": "m",  # U+1CCE2
    "\U0001cce3": "n",  # U+1CCE3
    "\U0001cce4": "o",  # U+1CCE4
    "\U0001cce5": "p",  # U+1CCE5
    "\U0001cce6": "q",  # U+1CCE6
    "\U0001cce7": "r",  # U+1CCE7
    "\U0001cce8": "s",  # U+1CCE8
    "\U0001cce9": "t",  # U+1CCE9
    "\U0001ccea": "u",  # U+1CCEA
    "\U0001cceb": "v",  # U+1CCEB
    "\U0001ccec": "w",  # U+1CCEC
    "\U0001cced": "x",  # U+1CCED
    "\U0001ccee": "y",  # U+1CCEE
    "\U0001ccef": "z",  # U+1CCEF
    "\U0001ccf0": "o",  # U+1CCF0
    "\U0001ccf1": "l",  # U+1CCF1
    "\U0001d20d": "v",  # GREEK VOCAL NOTATION SYMBOL-14
    "\U0001d213": "f",  # GREEK VOCAL NOTATION SYMBOL-20
    "\U0001d216": "r",  # GREEK VOCAL NOTATION SYMBOL-23
    "\U0001d21a": "o",  # GREEK VOCAL NOTATION SYMBOL-52
    "\U0001d22a": "l",  # GREEK INSTRUMENTAL NOTATION SYMBOL-23
    "\U0001e8c7": "l",  # MENDE KIKAKUI DIGIT ONE
    "\U0001f708": "v",  # ALCHEMICAL SYMBOL FOR AQUA VITAE
    "\U0001f714": "o",  # ALCHEMICAL SYMBOL FOR SALT
    "\U0001f74c": "c",  # ALCHEMICAL SYMBOL FOR CALX
    "\U0001f768": "t",  # ALCHEMICAL SYMBOL FOR CRUCIBLE-4
}
"""Character (NFKC, case folded, marks removed) -> the ASCII letter it looks like."""

FOLD_CASED: dict[str, str] = {
    "\u0397": "h",  # GREEK CAPITAL LETTER ETA
    "\u039d": "n",  # GREEK CAPITAL LETTER NU
    "\u03a5": "y",  # GREEK CAPITAL LETTER UPSILON
    "\U000118a4": "y",  # WARANG CITI CAPITAL LETTER YA
    "\U000118bc": "t",  # WARANG CITI CAPITAL LETTER HAR
}
"""Characters folded before case folding: their own target is not their key's."""
