/** A select's options for what a person picks by its name (a site, a service), each valued by its id. */
export function NamedOptions({ items }: { items: readonly { id: number; name: string }[] | undefined }) {
  return (
    <>
      {items?.map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
    </>
  );
}
