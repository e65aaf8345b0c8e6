// Learning reflections, their review and the reflections wall.
export {};
