/** Ids shaped like the service's (prefix_ + opaque text), unique per fake server. */
export interface IdMaker {
  next(prefix: 'event' | 'item' | 'resp' | 'call' | 'sess' | 'conv'): string;
}

export function makeIds(): IdMaker {
  let n = 0;
  const salt = Math.random().toString(36).slice(2, 8).toUpperCase();
  return {
    next(prefix) {
      n += 1;
      return `${prefix}_${salt}${n.toString(36).toUpperCase().padStart(6, '0')}`;
    },
  };
}
