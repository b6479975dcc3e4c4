/**
 * The other forms under which WhatsApp may know an E.164 number. Meta's wa_id is not always the number
 * a business imported: Mexican mobile numbers carry the old mobile prefix 1 after the country code
 * (+52 1 55 1234 5678 for +52 55 1234 5678), and Brazilian mobile numbers registered before the ninth
 * digit was added keep the eight-digit form (+55 11 8765 4321 for +55 11 98765 4321). Either side may
 * be the imported one, so each form maps to the other.
 */
export function alternativeWhatsAppNumbers(phone: string): string[] {
  const mexicoWithMobilePrefix = /^\+521(\d{10})$/.exec(phone);
  if (mexicoWithMobilePrefix) return [`+52${mexicoWithMobilePrefix[1]}`];
  const mexico = /^\+52(\d{10})$/.exec(phone);
  if (mexico) return [`+521${mexico[1]}`];

  // Brazil: a two-digit area code, then nine digits starting with 9 (mobile) or eight digits.
  const brazilNineDigits = /^\+55([1-9]\d)9(\d{8})$/.exec(phone);
  if (brazilNineDigits) return [`+55${brazilNineDigits[1]}${brazilNineDigits[2]}`];
  // Eight-digit mobile numbers started with 6 to 9; 2 to 5 are landlines, which never got the ninth digit.
  const brazilEightDigitMobile = /^\+55([1-9]\d)([6-9]\d{7})$/.exec(phone);
  if (brazilEightDigitMobile) return [`+55${brazilEightDigitMobile[1]}9${brazilEightDigitMobile[2]}`];
  return [];
}

/**
 * The form an import of this number stores: today's E.164, without Mexico's old mobile 1 and with
 * Brazil's ninth digit. A STOP from a number not yet imported is kept under it, so importing the
 * number later finds the opted-out contact instead of creating a second one that could be messaged.
 */
export function importedFormOf(phone: string): string {
  const legacy = /^\+521\d{10}$/.test(phone) || /^\+55[1-9]\d[6-9]\d{7}$/.test(phone);
  return legacy ? alternativeWhatsAppNumbers(phone)[0]! : phone;
}
