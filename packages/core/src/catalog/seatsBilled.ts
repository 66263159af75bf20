/**
 * The seats a contract is credited for (included credits per seat): the seats held, and at
 * least one (a customer that has named nobody yet still gets the credits of one seat).
 */
export const seatsBilled = (seatsHeld: number): number => Math.max(1, seatsHeld);
