/**
 * The seats a contract is billed and credited for: the seats held, and at least one (a
 * customer that has named nobody yet still pays for, and gets the credits of, one seat).
 */
export const seatsBilled = (seatsHeld: number): number => Math.max(1, seatsHeld);
