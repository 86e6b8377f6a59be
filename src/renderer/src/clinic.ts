import { createContext, useContext } from 'react';

/**
 * Where the clinic is: its country (for the locale, e.g. es-PE) and its time zone. Every date and time on screen is
 * written for the clinic, whatever the language and zone of the computer's browser.
 */
export interface ClinicPlace {
  country?: string;
  timeZone?: string;
}

export const ClinicPlaceContext = createContext<ClinicPlace>({});

export function useClinicPlace(): ClinicPlace {
  return useContext(ClinicPlaceContext);
}

